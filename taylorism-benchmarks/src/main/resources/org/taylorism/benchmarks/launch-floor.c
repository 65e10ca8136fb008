/*
 * The floor of benchmark row (b) on this machine: 20 runs of "sleep 0.1", 2 at a time, each started with
 * posix_spawn the moment a slot frees, by a program that does nothing else. Prints the seconds from the
 * first start to the last end. No launcher, taylorism or not, can beat it here.
 *
 * Given a directory, each run's stdout and stderr go to files of their own created there, as a launcher
 * that keeps every task's output must do: the floor for such a launcher.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static pid_t start(const char *directory, int number) {
    char *argv[] = {"sleep", "0.1", NULL};
    char out[4096], err[4096];
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (directory != NULL) {
        snprintf(out, sizeof out, "%s/%d.stdout", directory, number);
        snprintf(err, sizeof err, "%s/%d.stderr", directory, number);
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    }
    pid_t pid = -1;
    int failed = posix_spawnp(&pid, "sleep", &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) {
        perror("posix_spawnp sleep");
        return -1;
    }
    return pid;
}

int main(int argc, char **argv) {
    const char *directory = argc > 1 ? argv[1] : NULL;
    struct timespec first, last;
    clock_gettime(CLOCK_MONOTONIC, &first);
    int started = 0, running = 0;
    for (; started < 2; started++, running++) {
        if (start(directory, started) < 0) return 1;
    }
    while (running > 0) {
        int status;
        if (wait(&status) < 0) return 1;
        running--;
        if (started < 20) {
            if (start(directory, started) < 0) return 1;
            started++;
            running++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &last);
    printf("%.6f\n", (double) (last.tv_sec - first.tv_sec) + (last.tv_nsec - first.tv_nsec) / 1e9);
    return 0;
}
