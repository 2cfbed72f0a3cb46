import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '#topology/functions';
import { ROUTES, type RouteAuth, routeKey } from '#topology/routes';
import { pascalCase } from '../config';

export interface PlatformApiProps {
  readonly apiName: string;
  /** The function behind each route, by the name ROUTES uses. */
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  /**
   * Steady-state requests per second and burst of the `$default` stage, across all clients.
   * @default { rateLimit: 200, burstLimit: 400 }
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/** Why a route has no authorizer at the gateway (cdk-nag AwsSolutions-APIG4), by its `auth`. */
const UNAUTHORIZED_AT_GATEWAY: Record<Exclude<RouteAuth, 'operator'>, string> = {
  apiKey:
    'Authenticated in the handler: its middleware checks the Bearer API key against the table, so the contract can answer 401 with our error shape and a revoked key stops working at once (HTTP API authorizers answer 403 and cache).',
  webhook:
    'Called by the carrier, which cannot sign with SigV4: the handler verifies the HMAC signature of every request with the secret from SSM and rejects unsigned ones.',
  public: 'The OpenAPI document is public on purpose: it describes the API and holds no data.',
};

/**
 * The HTTP API: one route per ROUTES entry, each on its function. Operator routes require SigV4 (IAM
 * authorizer); the others are open at the gateway and authenticated by their handler. The `$default`
 * stage auto-deploys, logs every request as JSON and is throttled.
 */
export class PlatformApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', { apiName: props.apiName, createDefaultStage: false });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            userArn: '$context.identity.userArn',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const iam = new HttpIamAuthorizer();
    const none = new HttpNoneAuthorizer();
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationOf = (name: FunctionName): HttpLambdaIntegration => {
      const integration =
        integrations.get(name) ??
        new HttpLambdaIntegration(`${pascalCase(name)}Integration`, props.functions[name], {
          // One invoke permission per function for this API (`<api>/*/*/*`) instead of one per route: 100
          // routes made 103 permissions and put the stack at CloudFormation's 500-resource limit. Each
          // function still answers only its own routes (it dispatches on the route key, 404 otherwise).
          scopePermissionToRoute: false,
        });
      integrations.set(name, integration);
      return integration;
    };
    for (const route of ROUTES) {
      const authorizer: IHttpRouteAuthorizer = route.auth === 'operator' ? iam : none;
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationOf(route.function),
        authorizer,
      });
      if (route.auth !== 'operator' && httpRoute) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason: `${routeKey(route)}: ${UNAUTHORIZED_AT_GATEWAY[route.auth]}`,
        });
      }
    }
  }

  /** `https://<api-id>.execute-api.<region>.amazonaws.com/` */
  get url(): string {
    return this.stage.url;
  }
}
