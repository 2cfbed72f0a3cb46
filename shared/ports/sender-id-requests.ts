import type {
  SenderIdDecision,
  SenderIdRequest,
  SenderIdRequestStatus,
} from '#domain/sender/sender-id-request';
import type { Page } from './account-repository';

/** Sender id requests: customers file them, the operator lists them by status and decides. */
export interface SenderIdRequestRepository {
  create(request: SenderIdRequest): Promise<void>;
  /** The operator's lookup by id alone (any account). */
  get(id: string): Promise<SenderIdRequest | undefined>;
  /** An account's own requests, oldest first (a handful per account). */
  listForAccount(accountId: string): Promise<readonly SenderIdRequest[]>;
  /** Requests in one status, oldest first (the operator's queue). */
  listByStatus(
    status: SenderIdRequestStatus,
    page: { limit: number; cursor?: string },
  ): Promise<Page<SenderIdRequest>>;
  /**
   * Records the decision if the request is still pending; answers the request as it is afterwards, or
   * undefined when it does not exist. A request already decided is returned unchanged.
   */
  decide(id: string, decision: SenderIdDecision): Promise<SenderIdRequest | undefined>;
}
