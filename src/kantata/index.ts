export {
  createKantataClient,
  type KantataCallObserver,
  type KantataClient,
  type KantataClientOptions,
  type KantataLogger,
  type KantataQuery,
} from './kantata-client.js';
export { isKantataError, KantataError } from './kantata-error.js';
export { createKantataGateway, MAX_IDS_PER_REQUEST, MAX_MEMBERSHIPS_PER_POST } from './kantata-gateway.js';
export { createLimiter, type Limiter } from './limiter.js';
export { createListReader, type ListPage, parseKantataBody } from './list-reader.js';
