import { describe, expect, it } from 'vitest';
import { spawnTsWorker } from '../../../src/batch/parallel/spawn-ts-worker.ts';
import { WorkerPool } from '../../../src/batch/parallel/worker-pool.ts';
import { WorkerPoolError } from '../../../src/batch/parallel/worker-pool-error.ts';
import type { TestResult, TestTask } from './fixtures/test-worker.ts';

const TEST_WORKER = new URL('./fixtures/test-worker.ts', import.meta.url);
const BROKEN_WORKER = new URL('./fixtures/broken-worker.ts', import.meta.url);

describe('WorkerPool', () => {
  it('runs TypeScript worker entries and returns every result to its task', async () => {
    const pool = new WorkerPool<TestTask, TestResult>(2, () => spawnTsWorker(TEST_WORKER));
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => pool.run({ op: 'square', value: i })),
      );
      expect(results).toEqual(Array.from({ length: 20 }, (_, i) => ({ threadValue: i * i })));
      const moved = (await pool.run({ op: 'buffer', length: 1000 })) as { values: Float32Array };
      expect(moved.values).toBeInstanceOf(Float32Array);
      expect(moved.values[999]).toBe(999);
    } finally {
      await pool.close();
    }
  });

  it('fails only the task whose handler threw, or whose worker died, and keeps going', async () => {
    const pool = new WorkerPool<TestTask, TestResult>(1, () => spawnTsWorker(TEST_WORKER), 1);
    try {
      await expect(pool.run({ op: 'throw' })).rejects.toMatchObject({ code: 'task_threw' });
      const died = pool.run({ op: 'exit' });
      const after = pool.run({ op: 'square', value: 7 });
      await expect(died).rejects.toMatchObject({ code: 'worker_crashed' });
      expect(await after).toEqual({ threadValue: 49 });
    } finally {
      await pool.close();
    }
  });

  it('fails every task when workers cannot start', async () => {
    const pool = new WorkerPool<TestTask, TestResult>(2, () => spawnTsWorker(BROKEN_WORKER));
    const outcomes = [1, 2].map((value) => pool.run({ op: 'square', value }).catch((e: unknown) => e));
    for (const outcome of await Promise.all(outcomes)) {
      expect(outcome).toBeInstanceOf(WorkerPoolError);
      expect(outcome).toMatchObject({ code: 'worker_failed_to_start' });
    }
    await expect(pool.run({ op: 'square', value: 3 })).rejects.toMatchObject({
      code: 'worker_failed_to_start',
    });
    await pool.close();
  });

  it('rejects queued work when closed', async () => {
    const pool = new WorkerPool<TestTask, TestResult>(1, () => spawnTsWorker(TEST_WORKER), 1);
    const outcomes = Array.from({ length: 5 }, (_, i) =>
      pool.run({ op: 'square', value: i }).catch((e: unknown) => e),
    );
    await pool.close();
    for (const outcome of await Promise.all(outcomes)) expect(outcome).toMatchObject({ code: 'pool_closed' });
    await expect(pool.run({ op: 'square', value: 1 })).rejects.toMatchObject({ code: 'pool_closed' });
  });
});
