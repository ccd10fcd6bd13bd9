/** client-node's `Watch` alone, loaded on demand by watches so one-shot verbs never load client-node. */
export { Watch } from '@kubernetes/client-node';
