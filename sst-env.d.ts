/* Written by hand so `Resource` is typed without a deploy; `sst deploy` regenerates the same shape. */
/* deno-fmt-ignore-file */
import "sst";
export {};
declare module "sst" {
  export interface Resource {
    CommentTable: { name: string; type: "sst.sst.Linkable" };
    IpHashKey: { type: "sst.sst.Secret"; value: string };
    WebhookSigningKey: { type: "sst.sst.Secret"; value: string };
  }
}
