/*
 * The floor of benchmark rows (a) and (b) on this machine: COUNT runs of a program, 2 at a time, each started
 * with posix_spawn the moment a slot frees, by a program that does nothing else. Prints the seconds from the
 * first start to the last end. No launcher, taylorism or not, can beat it here.
 *
 *     launch-floor COUNT DIRECTORY|- PROGRAM [ARGUMENT...]
 *
 * Given a directory, each run's stdout and stderr go to files of their own created there, as a launcher that
 * keeps every task's output must do: the floor for such a launcher.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static pid_t start(const char *directory, char **command, int number) {
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
    int failed = posix_spawnp(&pid, command[0], &actions, NULL, command, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) {
        perror("posix_spawnp");
        return -1;
    }
    return pid;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: launch-floor COUNT DIRECTORY|- PROGRAM [ARGUMENT...]\n");
        return 2;
    }
    int count = atoi(argv[1]);
    const char *directory = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
    char **command = argv + 3;
    struct timespec first, last;
    clock_gettime(CLOCK_MONOTONIC, &first);
    int started = 0, running = 0;
    for (; started < 2 && started < count; started++, running++) {
        if (start(directory, command, started) < 0) return 1;
    }
    while (running > 0) {
        int status;
        if (wait(&status) < 0) return 1;
        running--;
        if (started < count) {
            if (start(directory, command, started) < 0) return 1;
            started++;
            running++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &last);
    printf("%.6f\n", (double) (last.tv_sec - first.tv_sec) + (last.tv_nsec - first.tv_nsec) / 1e9);
    return 0;
}
