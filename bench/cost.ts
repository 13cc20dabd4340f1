/**
 * What the service costs per million requests on AWS, from the bench's measured figures and the public on-demand
 * prices of us-east-1 (the price lines are cited in docs/performance.md). The Lambda duration is estimated by the
 * wall time of one request alone (a request that waits for no other), which includes its DynamoDB round trips.
 */

/** Public prices, us-east-1, on-demand. */
export const prices = {
  /** DynamoDB on-demand, per read request unit (https://aws.amazon.com/dynamodb/pricing/on-demand/): $0.125 per million. */
  dynamoReadUnit: 0.125 / 1e6,
  /** DynamoDB on-demand, per write request unit: $0.625 per million. */
  dynamoWriteUnit: 0.625 / 1e6,
  /** Lambda requests (https://aws.amazon.com/lambda/pricing/): $0.20 per million. */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda duration on Arm (Graviton), first 7.5 billion GB-seconds a month: $0.0000133334 per GB-second. */
  lambdaArmGbSecond: 0.0000133334,
  /** CloudFront HTTPS requests, United States (https://aws.amazon.com/cloudfront/pricing/): $0.0100 per 10,000. */
  cloudFrontRequest: 0.01 / 10_000,
  /** CloudFront data transfer out to the internet, United States, first 10 TB: $0.085 per GB. */
  cloudFrontGb: 0.085,
} as const;

/** The API function's memory (infra/api.ts), in GB. */
export const lambdaMemoryGb = 0.5;

/** One kind of request, as the bench measured it. */
export interface MeasuredRequest {
  /** Wall time of one request alone (ms): the Lambda duration it would bill. */
  durationMs: number;
  /** DynamoDB units AWS bills at least for it. */
  readUnits: number;
  writeUnits: number;
  /** Bytes the reader downloads (gzipped), for CloudFront's transfer price. */
  responseBytes: number;
  /** Whether CloudFront may answer it from its cache. */
  cacheable: boolean;
}

/** Dollars per million requests, by part, uncached (every request reaches the function) and as a cache hit. */
export function costPerMillion(request: MeasuredRequest) {
  const million = 1e6;
  const edge = million * (prices.cloudFrontRequest + (request.responseBytes / 1e9) * prices.cloudFrontGb);
  const lambda = million * (prices.lambdaRequest + (request.durationMs / 1000) * lambdaMemoryGb * prices.lambdaArmGbSecond);
  const dynamo = million * (request.readUnits * prices.dynamoReadUnit + request.writeUnits * prices.dynamoWriteUnit);
  return {
    edge,
    lambda,
    dynamo,
    uncached: edge + lambda + dynamo,
    /** A request CloudFront answers from its cache pays the edge only. */
    cacheHit: request.cacheable ? edge : null,
  };
}
