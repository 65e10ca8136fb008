/*
 * The floor of benchmark row (b) on this machine: 20 runs of "sleep 0.1", 2 at a time, each started with
 * posix_spawn the moment a slot frees, by a program that does nothing else. Prints the seconds from the
 * first start to the last end. No launcher, taylorism or not, can beat it here.
 */
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static pid_t start(void) {
    char *argv[] = {"sleep", "0.1", NULL};
    pid_t pid = -1;
    if (posix_spawnp(&pid, "sleep", NULL, NULL, argv, environ) != 0) {
        perror("posix_spawnp sleep");
        return -1;
    }
    return pid;
}

int main(void) {
    struct timespec first, last;
    clock_gettime(CLOCK_MONOTONIC, &first);
    int started = 0, running = 0;
    for (; started < 2; started++, running++) {
        if (start() < 0) return 1;
    }
    while (running > 0) {
        int status;
        if (wait(&status) < 0) return 1;
        running--;
        if (started < 20) {
            if (start() < 0) return 1;
            started++;
            running++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &last);
    printf("%.6f\n", (double) (last.tv_sec - first.tv_sec) + (last.tv_nsec - first.tv_nsec) / 1e9);
    return 0;
}
