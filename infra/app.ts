import { App } from 'aws-cdk-lib';
import { readPlatformConfig } from './config';
import { buildPlatform } from './platform';

/**
 * `npx cdk synth|deploy --all -c stage=prod -c carrier=sim -c carrierUrl=https://…` (or `-c carrier=eum`).
 * Defaults (stage=dev, carrier=sim) are in cdk.json; see docs/deploy.md.
 *
 * `-c bundling=false` skips esbuild (the CLI refuses `-c aws:cdk:bundling-stacks=[]`, as `aws:` keys are
 * reserved), for a quick template-only synth; a probe App reads it before the real one is configured.
 */
const skipBundling = new App({ autoSynth: false }).node.tryGetContext('bundling') === 'false';
const app = new App(skipBundling ? { postCliContext: { 'aws:cdk:bundling-stacks': [] } } : {});
buildPlatform(app, readPlatformConfig(app));
app.synth();
