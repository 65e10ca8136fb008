# The peer of benchmark row (d): Python's own pool, standard library only, on the same trivial task. Prints the
# median tasks/s of 5 batches of COUNT tasks (after one to warm up), each batch a map with chunksize=1.
import multiprocessing
import sys
import time


def task(number):
    return number


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with multiprocessing.Pool(2) as pool:
        pool.map(task, range(count), chunksize=1)
        rates = []
        for _ in range(5):
            start = time.perf_counter()
            pool.map(task, range(count), chunksize=1)
            rates.append(count / (time.perf_counter() - start))
    rates.sort()
    print(rates[len(rates) // 2])
