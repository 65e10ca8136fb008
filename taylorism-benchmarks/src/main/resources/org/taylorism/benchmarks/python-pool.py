# The peer of benchmark row (d): Python's own pool, standard library only, on the same trivial task. After one map of
# COUNT tasks to warm up, it prints "ready"; then each line read on standard input runs one map of COUNT tasks with
# chunksize=1, and prints its tasks/s. The harness interleaves these batches with its own.
import multiprocessing
import sys
import time


def task(number):
    return number


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with multiprocessing.Pool(2) as pool:
        pool.map(task, range(count), chunksize=1)
        print("ready", flush=True)
        for _ in sys.stdin:
            start = time.perf_counter()
            pool.map(task, range(count), chunksize=1)
            print(count / (time.perf_counter() - start), flush=True)
