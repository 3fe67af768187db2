// Test helper for the store: the StoreError a call throws, so tests can check its code and message.
import { StoreError } from '../../src/store/index.js';

export function storeErrorOf(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('expected a StoreError, nothing was thrown');
}
