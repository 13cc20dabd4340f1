/**
 * Packages the API function imports only on first use by a rarely configured feature (the Comprehend toxicity
 * check): kept out of the bundle every cold start parses and installed beside it by the deploy (SST's
 * `nodejs.install`, which pins the version in package-lock.json), so they still resolve when a site needs them.
 */
export const lazyDependencies = ["@aws-sdk/client-comprehend"] as const;
