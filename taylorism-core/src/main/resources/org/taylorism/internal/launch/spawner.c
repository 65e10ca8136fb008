/*
 * taylorism's native process spawner: the same protocol as spawner.pl, with posix_spawn (a vfork-like
 * clone that copies no page table) and POSIX_SPAWN_SETSID (a session of its own without running setsid).
 * Built once per machine into the user's cache by the Boss JVM when a C compiler is there.
 *
 * Input lines (every field hex-encoded):
 *   S id cwd exe stdout stderr nenv k=v... argv...   start a program (cwd, exe "-" when not given)
 *   K id SIGNAL                                      signal a child's process group (and the child)
 *   Q                                                leave without killing
 * Output lines:
 *   R                 ready (once, first)
 *   P id pid          started
 *   F id message      could not start (message hex-encoded)
 *   E id status       ended, with its raw wait status
 * When standard input ends without "Q", or the parent changes, the JVM is gone: every child still alive is
 * sent SIGTERM and given up to 5 s (a worker JVM whose task returned writes its result, for a run that resumes
 * this one to adopt), then frozen and killed, with its whole process group.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct child { pid_t pid; char id[32]; };
static struct child *children;
static size_t child_count, child_capacity;

/*
 * Lines to the JVM go out in batches: a start (P) waits for the next end (E), failure (F), or at most
 * START_REPORT_DELAY_MS, so that a short program's start and end wake the JVM's reader once, not twice.
 */
#define START_REPORT_DELAY_MS 5
static char pending_out[1 << 16];
static size_t pending_length;

static void write_all(const char *text, size_t length) {
    while (length > 0) {
        ssize_t n = write(STDOUT_FILENO, text, length);
        if (n < 0) {
            if (errno == EINTR) continue;
            return; /* the JVM is gone: its reader will not miss this line */
        }
        text += n;
        length -= (size_t) n;
    }
}

static void flush_out(void) {
    write_all(pending_out, pending_length);
    pending_length = 0;
}

/* Queues a line; {@code urgent} lines (ends, failures) go out at once, with whatever waited before them. */
static void say(const char *text, size_t length, int urgent) {
    if (pending_length + length > sizeof pending_out) flush_out();
    if (length > sizeof pending_out) {
        write_all(text, length);
    } else {
        memcpy(pending_out + pending_length, text, length);
        pending_length += length;
    }
    if (urgent) flush_out();
}

static void sayf(const char *format, const char *id, long value, int urgent) {
    char line[128];
    int n = snprintf(line, sizeof line, format, id, value);
    if (n > 0) say(line, (size_t) n, urgent);
}

static void say_failure(const char *id, const char *message) {
    static const char digits[] = "0123456789abcdef";
    size_t length = strlen(message);
    char *line = malloc(length * 2 + strlen(id) + 8);
    if (line == NULL) return;
    size_t at = (size_t) sprintf(line, "F %s ", id);
    for (size_t i = 0; i < length; i++) {
        line[at++] = digits[(unsigned char) message[i] >> 4];
        line[at++] = digits[(unsigned char) message[i] & 15];
    }
    line[at++] = '\n';
    say(line, at, 1);
    free(line);
}

/* Decodes hex in place; returns the text, or NULL for a malformed field. */
static char *unhex(char *field) {
    size_t length = strlen(field);
    if (length % 2 != 0) return NULL;
    for (size_t i = 0; i < length / 2; i++) {
        unsigned int byte;
        if (sscanf(field + 2 * i, "%2x", &byte) != 1) return NULL;
        field[i] = (char) byte;
    }
    field[length / 2] = '\0';
    return field;
}

static int signal_number(const char *name) {
    static const struct { const char *name; int number; } known[] = {
        {"TERM", SIGTERM}, {"KILL", SIGKILL}, {"STOP", SIGSTOP}, {"CONT", SIGCONT}, {"INT", SIGINT},
        {"HUP", SIGHUP}, {"QUIT", SIGQUIT}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(known[i].name, name) == 0) return known[i].number;
    }
    return atoi(name);
}

/* The environment for a child: this one's, with the given k=v entries replacing or added. */
static char **environment(char **overrides, int count) {
    size_t own = 0;
    while (environ[own] != NULL) own++;
    char **result = malloc((own + (size_t) count + 1) * sizeof *result);
    if (result == NULL) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < own; i++) {
        const char *equals = strchr(environ[i], '=');
        size_t key = equals == NULL ? strlen(environ[i]) : (size_t) (equals - environ[i]);
        int replaced = 0;
        for (int j = 0; j < count && !replaced; j++) {
            replaced = strncmp(overrides[j], environ[i], key) == 0 && overrides[j][key] == '=';
        }
        if (!replaced) result[n++] = environ[i];
    }
    for (int j = 0; j < count; j++) result[n++] = overrides[j];
    result[n] = NULL;
    return result;
}

static void start(char **fields, int count) {
    if (count < 7) return;
    char *id = fields[1];
    char *cwd = strcmp(fields[2], "-") == 0 ? NULL : unhex(fields[2]);
    char *exe = strcmp(fields[3], "-") == 0 ? NULL : unhex(fields[3]);
    char *out = unhex(fields[4]);
    char *err = unhex(fields[5]);
    int envs = atoi(fields[6]);
    if (out == NULL || err == NULL || envs < 0 || 7 + envs >= count) {
        say_failure(id, "malformed start request");
        return;
    }
    char **overrides = fields + 7;
    char **argv = fields + 7 + envs;
    for (int i = 0; i < envs; i++) {
        if (unhex(overrides[i]) == NULL) { say_failure(id, "malformed environment entry"); return; }
    }
    for (int i = 7 + envs; i < count; i++) {
        if (unhex(fields[i]) == NULL) { say_failure(id, "malformed argument"); return; }
    }
    fields[count] = NULL;

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (cwd != NULL) posix_spawn_file_actions_addchdir_np(&actions, cwd);
    posix_spawnattr_init(&attributes);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigfillset(&defaults);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    char **env = environment(overrides, envs);
    pid_t pid = 0;
    int error = env == NULL ? ENOMEM
            : exe != NULL ? posix_spawn(&pid, exe, &actions, &attributes, argv, env)
                          : posix_spawnp(&pid, argv[0], &actions, &attributes, argv, env);
    if (error == ENOEXEC && env != NULL) {
        /* A script without "#!": run it with the shell, as execvp, perl and the JDK do. */
        char **with_shell = malloc((size_t) (count - 7 - envs + 2) * sizeof *with_shell);
        if (with_shell != NULL) {
            with_shell[0] = "sh";
            with_shell[1] = exe != NULL ? exe : argv[0];
            for (int i = 1; argv[i] != NULL; i++) with_shell[i + 1] = argv[i];
            with_shell[count - 7 - envs + 1] = NULL;
            error = posix_spawn(&pid, "/bin/sh", &actions, &attributes, with_shell, env);
            free(with_shell);
        }
    }
    free(env);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) {
        /* posix_spawn does not say which step failed: find out, to name the culprit. */
        char message[4096];
        struct stat info;
        int fd;
        if (cwd != NULL && stat(cwd, &info) != 0) {
            snprintf(message, sizeof message, "cannot enter %s: %s", cwd, strerror(errno));
        } else if (cwd != NULL && !S_ISDIR(info.st_mode)) {
            snprintf(message, sizeof message, "cannot enter %s: %s", cwd, strerror(ENOTDIR));
        } else if (cwd != NULL && access(cwd, X_OK) != 0) {
            snprintf(message, sizeof message, "cannot enter %s: %s", cwd, strerror(errno));
        } else if ((fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0666)) < 0) {
            snprintf(message, sizeof message, "cannot write %s: %s", out, strerror(errno));
        } else if (close(fd), (fd = open(err, O_WRONLY | O_CREAT | O_APPEND, 0666)) < 0) {
            snprintf(message, sizeof message, "cannot write %s: %s", err, strerror(errno));
        } else {
            close(fd);
            snprintf(message, sizeof message, "cannot run %s: %s", exe != NULL ? exe : argv[0], strerror(error));
        }
        say_failure(id, message);
        return;
    }
    if (child_count == child_capacity) {
        child_capacity = child_capacity == 0 ? 16 : child_capacity * 2;
        children = realloc(children, child_capacity * sizeof *children);
        if (children == NULL) abort();
    }
    children[child_count].pid = pid;
    snprintf(children[child_count].id, sizeof children[child_count].id, "%s", id);
    child_count++;
    sayf("P %s %ld\n", id, (long) pid, 0);
}

/*
 * Process groups of children that ended while something they started may still run in them (a worker's
 * "sleep 300 &"): killed with the rest when this spawner goes, forgotten once empty.
 */
static pid_t *leftover_groups;
static size_t leftover_count, leftover_capacity;

static void keep_group(pid_t group) {
    for (size_t i = 0; i < leftover_count; i++) {
        if (kill(-leftover_groups[i], 0) != 0 && errno == ESRCH) leftover_groups[i--] = leftover_groups[--leftover_count];
    }
    if (kill(-group, 0) != 0) return; /* nothing left in it */
    if (leftover_count == leftover_capacity) {
        leftover_capacity = leftover_capacity == 0 ? 16 : leftover_capacity * 2;
        leftover_groups = realloc(leftover_groups, leftover_capacity * sizeof *leftover_groups);
        if (leftover_groups == NULL) abort();
    }
    leftover_groups[leftover_count++] = group;
}

static void reap(void) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (size_t i = 0; i < child_count; i++) {
            if (children[i].pid == pid) {
                sayf("E %s %ld\n", children[i].id, (long) status, 1);
                children[i] = children[--child_count];
                keep_group(pid);
                break;
            }
        }
    }
}

/*
 * The JVM is gone: its children get SIGTERM and up to 5 s to go. They are reaped here without a word: an end
 * reported to the dead JVM would be written to a pipe nobody reads.
 */
static void stop_children(void) {
    for (size_t i = 0; i < child_count; i++) {
        kill(-children[i].pid, SIGTERM);
        kill(children[i].pid, SIGTERM);
    }
    for (int tick = 0; tick < 50; tick++) {
        size_t alive = 0;
        for (size_t i = 0; i < child_count; i++) {
            if (children[i].pid > 0 && waitpid(children[i].pid, NULL, WNOHANG) == 0) alive++;
        }
        if (alive == 0) return;
        usleep(100000);
    }
}

/* Nothing this spawner started may outlive it: running children and what ended ones left behind. */
static void kill_everything(void) {
    for (size_t i = 0; i < child_count; i++) kill(-children[i].pid, SIGSTOP);
    for (size_t i = 0; i < child_count; i++) {
        kill(-children[i].pid, SIGKILL);
        kill(children[i].pid, SIGKILL);
    }
    for (size_t i = 0; i < leftover_count; i++) kill(-leftover_groups[i], SIGKILL);
}

static void signal_child(const char *id, const char *name) {
    for (size_t i = 0; i < child_count; i++) {
        if (strcmp(children[i].id, id) == 0) {
            int number = signal_number(name);
            kill(-children[i].pid, number);
            kill(children[i].pid, number);
            return;
        }
    }
}

/*
 * Splits a line on single spaces in place, keeping empty fields (an empty argument is an empty hex field);
 * fields must hold room for one more entry than it returns.
 */
static int split(char *line, char ***fields, size_t *capacity) {
    int count = 0;
    char *rest = line;
    for (char *token = strsep(&rest, " "); token != NULL; token = strsep(&rest, " ")) {
        if ((size_t) count + 2 > *capacity) {
            *capacity = *capacity == 0 ? 64 : *capacity * 2;
            *fields = realloc(*fields, *capacity * sizeof **fields);
            if (*fields == NULL) abort();
        }
        (*fields)[count++] = token;
    }
    return count;
}

int main(void) {
    /*
     * Signals sent to the Boss's whole process group (Ctrl-C, Ctrl-\, a SIGTERM from timeout or scancel) are
     * the JVM's to act on: it stops its workers through this spawner, which must still be there to do so.
     */
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    /*
     * Out of the Boss's process group too: a child being spawned is in this process's group until posix_spawn's
     * setsid, with every signal blocked, and a signal sent to the group then would be pending, delivered at exec.
     */
    setsid();
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int ends = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    if (ends < 0) { perror("taylorism-spawner: signalfd"); return 1; }
    fcntl(STDIN_FILENO, F_SETFD, FD_CLOEXEC);
    fcntl(STDOUT_FILENO, F_SETFD, FD_CLOEXEC);

    pid_t boss = getppid();
    say("R\n", 2, 1); /* ready: the JVM waits for this before it trusts a cached binary */
    size_t size = 0, capacity = 1 << 16;
    char *buffer = malloc(capacity);
    char **fields = NULL;
    size_t field_capacity = 0;
    int open_input = 1;
    while (open_input && getppid() == boss) {
        struct pollfd watched[2] = {{STDIN_FILENO, POLLIN, 0}, {ends, POLLIN, 0}};
        int ready = poll(watched, 2, pending_length > 0 ? START_REPORT_DELAY_MS : 250);
        if (ready < 0 && errno != EINTR) break;
        if (ready == 0) flush_out();
        if (ready <= 0) continue;
        if (watched[1].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(ends, &info, sizeof info) == sizeof info) {
            }
            reap();
        }
        if (watched[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (size + 4096 > capacity) {
                capacity *= 2;
                buffer = realloc(buffer, capacity);
                if (buffer == NULL) abort();
            }
            ssize_t n = read(STDIN_FILENO, buffer + size, capacity - size - 1);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) { open_input = 0; break; }
            size += (size_t) n;
            char *line = buffer;
            char *end;
            while ((end = memchr(line, '\n', size - (size_t) (line - buffer))) != NULL) {
                *end = '\0';
                int count = split(line, &fields, &field_capacity);
                if (count >= 1 && strcmp(fields[0], "S") == 0) start(fields, count);
                else if (count >= 3 && strcmp(fields[0], "K") == 0) signal_child(fields[1], fields[2]);
                else if (count >= 1 && strcmp(fields[0], "Q") == 0) {
                    /* An orderly goodbye: the Boss saw its workers end; what they left behind goes now. */
                    for (size_t i = 0; i < leftover_count; i++) kill(-leftover_groups[i], SIGKILL);
                    flush_out();
                    return 0;
                }
                line = end + 1;
            }
            size -= (size_t) (line - buffer);
            memmove(buffer, line, size);
            reap(); /* a child may have ended while a long batch of lines was read */
        }
    }
    /* The JVM is gone. */
    stop_children();
    kill_everything();
    return 0;
}
