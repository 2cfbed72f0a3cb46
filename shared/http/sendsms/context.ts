import { formatMoney } from '#domain/money';
import type { AccountBlocklistRepository } from '#ports/account-blocklist';
import type { AccountRepository, ApiKeyRepository, BlocklistRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { CallbackQueue } from '#ports/callbacks';
import type { NumberLookup } from '#ports/carrier-gateway';
import type { Clock } from '#ports/clock';
import type { ContactGroupRepository } from '#ports/contact-groups';
import type { IdGenerator, PasswordHasher, SecretHasher } from '#ports/ids';
import type { InboundRepository } from '#ports/inbound';
import type { LinkRepository } from '#ports/link-repository';
import type { MessageRepository } from '#ports/message-repository';
import type { ObjectStore } from '#ports/object-store';
import type { PriceListRepository } from '#ports/price-lists';
import type { SendQueue } from '#ports/queues';
import type { RateLimiter } from '#ports/rate-limiter';
import type { ReportSources } from '#ports/report-sources';
import type { OpenSpreadsheet } from '#ports/spreadsheet';
import type { BatchScheduler, WorkflowStarter } from '#ports/workflows';
import type { Caller } from '#use-cases/accounts';
import type { StatusChanged } from '#use-cases/callbacks/status-callbacks';
import type { SendsmsAnswer } from './response';
import { MissingParameter } from './response';

/** Every port the facade's actions reach, built once by the `/json` handler. */
export interface SendsmsDeps {
  readonly accounts: AccountRepository;
  readonly keys: ApiKeyRepository;
  readonly messages: MessageRepository;
  readonly blocklist: BlocklistRepository;
  readonly accountBlocklist: AccountBlocklistRepository;
  readonly openSpreadsheet: OpenSpreadsheet;
  readonly links: LinkRepository;
  readonly contactGroups: ContactGroupRepository;
  readonly inbound: InboundRepository;
  readonly sources: ReportSources;
  /** The carrier's HLR/MNP lookup; undefined when the carrier offers none. */
  readonly lookup?: (number: string) => Promise<NumberLookup | undefined>;
  readonly batches: BatchRepository;
  readonly files: ObjectStore;
  readonly workflows: WorkflowStarter;
  readonly scheduler: BatchScheduler;
  readonly sendQueue: SendQueue;
  readonly prices: PriceListRepository;
  readonly platformSender?: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly hasher: SecretHasher;
  readonly passwords: PasswordHasher;
  readonly rateLimiter: RateLimiter;
  /** Status callbacks and `report_url` GETs of the messages sent here. */
  readonly statusChanged?: StatusChanged;
  /** The callbacks queue, for `hlr_perform`'s `report_url` result. */
  readonly callbacks: CallbackQueue;
}

/** One authenticated action call. */
export interface ActionContext {
  readonly deps: SendsmsDeps;
  readonly caller: Caller;
  readonly params: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, Uint8Array>>;
  /** Where this API is served (`https://api.example.com`), for the short and unsubscribe links. */
  readonly baseUrl: string;
}

export type Action = (context: ActionContext) => Promise<SendsmsAnswer>;

/** A parameter that must be present and not blank (-4 otherwise). */
export function required(params: Readonly<Record<string, string>>, name: string): string {
  const value = params[name];
  if (value === undefined || value.trim() === '') throw new MissingParameter(name);
  return value;
}

/** An optional parameter; blank counts as absent (PHP clients send `name=` for nulls). */
export function optional(params: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** PHP-style booleans: `true`, `1`, `on`, `yes` (any case). */
export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|1|on|yes)$/i.test(value.trim());
}

/**
 * Money as the upstream's JSON number in the account's currency (PHP clients `(float)` it); exact, since
 * it is printed from the integer units' decimal string, never computed in floating point.
 */
export const amount = (units: number): number => Number(formatMoney(units));
