import { Annotations, type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PLACEHOLDER_CARRIER_URL, type PlatformConfig, platformNames } from './config';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

export interface Platform {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Builds one stage of the platform into `app`: the stateful stack (data, RETAIN) and the stateless stack
 * (code and API) that takes its resources as props, then runs cdk-nag's AWS Solutions checks over both.
 * Stacks are environment-agnostic (no account/region, no lookups), so synth works offline.
 */
export function buildPlatform(app: App, config: PlatformConfig): Platform {
  const names = platformNames(config.stage);
  const stackName = (part: string) => `SmsPlatform-${config.stage}-${part}`;

  const stateful = new StatefulStack(app, stackName('Stateful'), {
    description: `SMS platform (${config.stage}): table, upload bucket, queues and DLQs, schedule group (retained)`,
    terminationProtection: config.stage === 'prod',
    stage: config.stage,
    namePrefix: names.prefix,
    scheduleGroupName: names.scheduleGroup,
    ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    ...(config.carrier.kind === 'eum' ? { eumConfigurationSetName: names.configurationSet } : {}),
  });

  const stateless = new StatelessStack(app, stackName('Stateless'), {
    description: `SMS platform (${config.stage}): functions, queue consumers, batch workflows and HTTP API`,
    stage: config.stage,
    carrier: config.carrier,
    table: stateful.table,
    uploadBucket: stateful.uploadBucket,
    scheduleGroupName: names.scheduleGroup,
    queues: {
      send: stateful.queues.send.queue,
      deliveryReports: stateful.queues.deliveryReports.queue,
      inbound: stateful.queues.inbound.queue,
      callbacks: stateful.queues.callbacks.queue,
      exports: stateful.queues.exports.queue,
    },
    ...(stateful.deliveryReportTopic ? { deliveryReportTopic: stateful.deliveryReportTopic.topic } : {}),
    alarmTopic: stateful.alarmTopic,
  });
  stateless.addStackDependency(stateful);

  if (config.carrier.kind === 'sim' && config.carrier.url === PLACEHOLDER_CARRIER_URL) {
    Annotations.of(stateless).addWarningV2(
      'sms-platform:carrierUrl',
      `carrier=sim without -c carrierUrl=https://…: the submit function would call ${PLACEHOLDER_CARRIER_URL}`,
    );
  }

  Tags.of(app).add('project', 'sms-platform');
  Tags.of(app).add('stage', config.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { stateful, stateless };
}
