/*
 * taylorism's native process spawner: the same protocol as spawner.pl, with posix_spawn (a vfork-like
 * clone that copies no page table) and POSIX_SPAWN_SETSID (a session of its own without running setsid).
 * Built once per machine into the user's cache by the Boss JVM when a C compiler is there.
 *
 * Input lines (every field hex-encoded):
 *   S id cwd exe stdout stderr nenv k=v... argv...   start a program (cwd, exe "-" when not given)
 *   K id SIGNAL                                      signal a child's process group (and the child)
 *   Q                                                leave without killing
 *   Y                                                (to a keeper whose spawner is gone) answer Y once every
 *                                                    line before it is dealt with
 * Output lines:
 *   R                 ready (once, first)
 *   P id pid          started
 *   F id message      could not start (message hex-encoded)
 *   E id status left  ended, with its raw wait status and how many processes it left behind (stopped now)
 * When standard input ends without "Q", or the parent changes, the JVM is gone: every child still alive is
 * sent SIGTERM and given up to 5 s (a worker JVM whose task returned writes its result, for a run that resumes
 * this one to adopt), then frozen and killed, with its whole process group.
 *
 * Two processes: the one the JVM starts is the keeper, and the spawner proper is its child. The keeper does nothing
 * while the spawner lives. If the spawner is killed (a worker's "kill -9 $PPID"), its workers come to the keeper
 * (a subreaper), which says so, then reports each one's end as the spawner would have, until none is left (the
 * spawner tells it, through a pipe of their own, the pid and id of each child it starts and the pid of each that
 * ends); the JVM starts another spawner for the next workers:
 *   D                 the spawner was killed (from the keeper; P and E lines of its workers follow)
 *   Y                 the keeper's answer to Y: a start asked before it that has neither P nor F now was in the
 *                     dead spawner's hands and never began, and the JVM starts it anew elsewhere
 * (A child started in the microseconds between its start and the spawner's word to the keeper is not known to
 * the keeper: the JVM takes it for one never begun, and starts it again.)
 * Once the spawner is gone, the keeper reads standard input: at its end, or "Q", it stops what it holds (SIGTERM,
 * up to 5 s, SIGKILL) and leaves.
 *
 * The spawner is its children's "subreaper": what a worker started and left behind when it ended (a daemon that
 * called setsid, a double fork, "nohup ... &") is reparented to it instead of to init. Every child is tagged with
 * TAYLORISM_WORKER_TAG in its environment, which its descendants inherit; when a worker ends, the processes of its
 * tag among this spawner's adopted children are sent SIGTERM (with their process groups), and those still there
 * LEFT_GRACE_MS later SIGKILL. What untagged ones are left goes when the spawner does. Once the spawner is gone, the
 * keeper does the same for the workers it reports (their tags still name the spawner): what they leave comes to it.
 * What workers that ended before the spawner's death left, and the spawner had sent SIGTERM but not yet SIGKILL, comes
 * to the keeper too: it sends them SIGTERM again at the spawner's death, and SIGKILL LEFT_GRACE_MS later.
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
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct child { pid_t pid; char id[32]; };
/* The spawner's end of its pipe to the keeper (see the top of this file); -1 in the keeper. */
static int keeper_fd = -1;

/* Tells the keeper a line ("S pid id" or "E pid"); a keeper too slow to read loses it rather than block the spawner. */
static void tell_keeper(const char *format, long pid, const char *id) {
    char line[96];
    int n = snprintf(line, sizeof line, format, pid, id);
    if (keeper_fd >= 0 && n > 0) {
        ssize_t ignored = write(keeper_fd, line, (size_t) n);
        (void) ignored;
    }
}
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

    /* The worker's tag, inherited by whatever it starts: what it leaves behind is found by it. */
    char tag[96];
    snprintf(tag, sizeof tag, "TAYLORISM_WORKER_TAG=%ld.%s", (long) getpid(), id);
    char **tagged = malloc(((size_t) envs + 1) * sizeof *tagged);
    if (tagged == NULL) { say_failure(id, "out of memory"); return; }
    for (int i = 0; i < envs; i++) tagged[i] = overrides[i];
    tagged[envs] = tag;
    char **env = environment(tagged, envs + 1);
    free(tagged);
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
    tell_keeper("S %ld %s\n", (long) pid, id);
    sayf("P %s %ld\n", id, (long) pid, 0);
}

static int tracked(pid_t pid) {
    for (size_t i = 0; i < child_count; i++) {
        if (children[i].pid == pid) return 1;
    }
    return 0;
}

/*
 * Copies process {@code pid}'s tag ("TAYLORISM_WORKER_TAG=...", its environment's first) to {@code tag}; returns
 * whether it has one that fits.
 */
static int tag_of(pid_t pid, char *tag, size_t size) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/environ", (long) pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    /* The whole environment, however big: the tag may come after a large variable. */
    size_t capacity = 1 << 16, length = 0;
    char *buffer = malloc(capacity);
    ssize_t n;
    while (buffer != NULL && (n = read(fd, buffer + length, capacity - length - 1)) > 0) {
        length += (size_t) n;
        if (length + 1 == capacity) {
            capacity *= 2;
            char *larger = realloc(buffer, capacity);
            if (larger == NULL) { free(buffer); buffer = NULL; }
            else buffer = larger;
        }
    }
    close(fd);
    if (buffer == NULL) return 0;
    buffer[length] = '\0';
    static const char name[] = "TAYLORISM_WORKER_TAG=";
    int found = 0;
    for (size_t at = 0; at < length && !found; at += strlen(buffer + at) + 1) {
        if (strncmp(buffer + at, name, sizeof name - 1) == 0) {
            found = strlen(buffer + at) < size;
            if (found) snprintf(tag, size, "%s", buffer + at);
            break;
        }
    }
    free(buffer);
    return found;
}

/* Whether process {@code pid}'s tag is {@code tag}. */
static int has_tag(pid_t pid, const char *tag) {
    char own[96];
    return tag_of(pid, own, sizeof own) && strcmp(own, tag) == 0;
}

/*
 * Sends {@code signal} to the adopted children of this spawner tagged {@code tag} (an ended worker's), each with
 * its process group when it leads one; returns how many there were.
 */
static int signal_adopted(const char *tag, int signal) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/children", (long) getpid());
    FILE *list = fopen(path, "re");
    if (list == NULL) return 0;
    int found = 0;
    long pid;
    while (fscanf(list, "%ld", &pid) == 1) {
        if (tracked((pid_t) pid) || !has_tag((pid_t) pid, tag)) continue;
        if (getpgid((pid_t) pid) == (pid_t) pid) kill(-(pid_t) pid, signal);
        kill((pid_t) pid, signal);
        found++;
    }
    fclose(list);
    return found;
}

/*
 * Tags of ended workers whose leftovers got SIGTERM, and when those still there get SIGKILL; the group is the ended
 * worker's (its pid), or 0 where the keeper knows none (what came to it at its spawner's death).
 */
#define LEFT_GRACE_MS 5000
struct sweep { char tag[96]; pid_t group; long long due; };
static struct sweep *sweeps;
static size_t sweep_count, sweep_capacity;

static long long now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Its leftovers get SIGKILL once LEFT_GRACE_MS are over; {@code group} is the ended worker's, or 0 for none known. */
static void add_sweep(const char *tag, pid_t group) {
    if (sweep_count == sweep_capacity) {
        sweep_capacity = sweep_capacity == 0 ? 16 : sweep_capacity * 2;
        sweeps = realloc(sweeps, sweep_capacity * sizeof *sweeps);
        if (sweeps == NULL) abort();
    }
    snprintf(sweeps[sweep_count].tag, sizeof sweeps[sweep_count].tag, "%s", tag);
    sweeps[sweep_count].group = group;
    sweeps[sweep_count].due = now_ms() + LEFT_GRACE_MS;
    sweep_count++;
}

/*
 * A worker ended: what it left behind is sent SIGTERM now, SIGKILL later; returns how many processes that was.
 * {@code spawner} is the pid in the tags of the spawner that started it: this process, or the keeper's dead spawner.
 */
static int stop_left_behind(const struct child *ended, pid_t spawner) {
    char tag[96];
    snprintf(tag, sizeof tag, "TAYLORISM_WORKER_TAG=%ld.%s", (long) spawner, ended->id);
    int found = signal_adopted(tag, SIGTERM);
    int group_left = kill(-ended->pid, 0) == 0;
    if (group_left) kill(-ended->pid, SIGTERM);
    if (found == 0 && !group_left) return 0;
    add_sweep(tag, ended->pid);
    return found > 0 ? found : 1;
}

/*
 * The keeper's spawner was killed: what workers that ended before its death left behind came to the keeper with the
 * workers that still run. The spawner had sent those SIGTERM, and would have sent SIGKILL after their grace: they
 * get SIGTERM again now, and SIGKILL after a grace of the keeper's. Found by the dead spawner's pid in their tags,
 * with the id of no worker the keeper holds (what those leave is theirs, stopped at their ends). A worker the spawner
 * began in the microseconds before it could tell the keeper is among them: the JVM, told no pid, starts it elsewhere,
 * and this copy must not run too.
 */
static void sweep_orphans_of(pid_t spawner) {
    char prefix[48], path[64], tag[96];
    int prefix_length = snprintf(prefix, sizeof prefix, "TAYLORISM_WORKER_TAG=%ld.", (long) spawner);
    snprintf(path, sizeof path, "/proc/self/task/%ld/children", (long) getpid());
    FILE *list = fopen(path, "re");
    if (list == NULL) return;
    long pid;
    while (fscanf(list, "%ld", &pid) == 1) {
        if (tracked((pid_t) pid) || !tag_of((pid_t) pid, tag, sizeof tag)) continue;
        if (strncmp(tag, prefix, (size_t) prefix_length) != 0) continue;
        int swept_or_running = 0;
        for (size_t i = 0; i < sweep_count && !swept_or_running; i++) swept_or_running = strcmp(sweeps[i].tag, tag) == 0;
        for (size_t i = 0; i < child_count && !swept_or_running; i++) {
            swept_or_running = strcmp(children[i].id, tag + prefix_length) == 0;
        }
        if (swept_or_running) continue;
        signal_adopted(tag, SIGTERM);
        add_sweep(tag, 0);
    }
    fclose(list);
}

/* Kills what ended workers left behind and did not leave within its grace; returns ms to the next due, or -1. */
static int sweep_due(void) {
    long long now = now_ms();
    long long next = -1;
    for (size_t i = 0; i < sweep_count; i++) {
        if (sweeps[i].due <= now) {
            signal_adopted(sweeps[i].tag, SIGKILL);
            /*
             * The group of the reaped worker, unless its pid now names another process (reused: a group led by that
             * one is not the worker's, and its leftovers with the tag were killed just above).
             */
            if (sweeps[i].group > 0 && kill(sweeps[i].group, 0) != 0 && errno == ESRCH) kill(-sweeps[i].group, SIGKILL);
            sweeps[i--] = sweeps[--sweep_count];
        } else if (next < 0 || sweeps[i].due < next) {
            next = sweeps[i].due;
        }
    }
    return next < 0 ? -1 : (int) (next - now);
}

static void reap(void) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (size_t i = 0; i < child_count; i++) {
            if (children[i].pid == pid) {
                struct child ended = children[i];
                children[i] = children[--child_count];
                int left = stop_left_behind(&ended, getpid());
                char line[160];
                int n = snprintf(line, sizeof line, "E %s %ld %d\n", ended.id, (long) status, left);
                if (n > 0) say(line, (size_t) n, 1);
                /* Only once the JVM has its end: a spawner killed before says nothing the keeper would not. */
                tell_keeper("E %ld%s\n", (long) pid, "");
                break;
            }
        }
        /* Not a child it started: an adopted orphan that ended. Reaped, nothing to say. */
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

/* Every adopted child (an orphan of a worker), with its process group when it leads one. */
static void kill_adopted(void) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/children", (long) getpid());
    FILE *list = fopen(path, "re");
    if (list == NULL) return;
    long pid;
    while (fscanf(list, "%ld", &pid) == 1) {
        if (tracked((pid_t) pid)) continue;
        if (getpgid((pid_t) pid) == (pid_t) pid) kill(-(pid_t) pid, SIGKILL);
        kill((pid_t) pid, SIGKILL);
    }
    fclose(list);
}

/* Nothing this spawner started may outlive it: running children and what ended ones left behind. */
static void kill_everything(void) {
    for (size_t i = 0; i < child_count; i++) kill(-children[i].pid, SIGSTOP);
    for (size_t i = 0; i < child_count; i++) {
        kill(-children[i].pid, SIGKILL);
        kill(children[i].pid, SIGKILL);
    }
    for (size_t i = 0; i < sweep_count; i++) if (sweeps[i].group > 0) kill(-sweeps[i].group, SIGKILL);
    kill_adopted();
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

/* Writes a whole line at once: after the spawner's death, the keeper is the only writer. */
static void keeper_says(const char *format, const char *id, long value) {
    char line[96];
    int n = snprintf(line, sizeof line, format, id, value);
    if (n > 0) write_all(line, (size_t) n);
}

/* The keeper's children, the spawner aside: SIGTERM to each and its group, up to 5 s to go, then SIGKILL. */
static void keeper_stops_all(void) {
    for (int signal_number = SIGTERM, tick = 0; tick <= 50; tick++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/task/%ld/children", (long) getpid());
        FILE *list = fopen(path, "re");
        int any = 0;
        long pid;
        while (list != NULL && fscanf(list, "%ld", &pid) == 1) {
            any = 1;
            if (tick == 0 || signal_number == SIGKILL) {
                if (getpgid((pid_t) pid) == (pid_t) pid) kill(-(pid_t) pid, signal_number);
                kill((pid_t) pid, signal_number);
            }
        }
        if (list != NULL) fclose(list);
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
        if (!any) return;
        if (signal_number == SIGKILL) {
            /* Killed, not yet gone: the keeper waits (up to 1 s) to see them go before it leaves. */
            for (int wait_tick = 0; wait_tick < 20; wait_tick++) {
                pid_t reaped = waitpid(-1, NULL, WNOHANG);
                if (reaped < 0) return;
                if (reaped == 0) usleep(50000);
            }
            return;
        }
        if (tick == 49) signal_number = SIGKILL;
        usleep(100000);
    }
}

/* The spawner's running children, as it told the keeper: children[] is the keeper's copy. */
static void keeper_reads(int from_spawner) {
    static char buffer[1 << 16];
    static size_t size;
    ssize_t n = read(from_spawner, buffer + size, sizeof buffer - size - 1);
    if (n <= 0) return;
    size += (size_t) n;
    char *line = buffer, *end;
    while ((end = memchr(line, '\n', size - (size_t) (line - buffer))) != NULL) {
        *end = '\0';
        long pid;
        char id[32];
        if (sscanf(line, "S %ld %31s", &pid, id) == 2) {
            if (child_count == child_capacity) {
                child_capacity = child_capacity == 0 ? 16 : child_capacity * 2;
                children = realloc(children, child_capacity * sizeof *children);
                if (children == NULL) abort();
            }
            children[child_count].pid = (pid_t) pid;
            snprintf(children[child_count].id, sizeof children[child_count].id, "%s", id);
            child_count++;
        } else if (sscanf(line, "E %ld", &pid) == 1) {
            for (size_t i = 0; i < child_count; i++) {
                if (children[i].pid == (pid_t) pid) { children[i] = children[--child_count]; break; }
            }
        }
        line = end + 1;
    }
    size -= (size_t) (line - buffer);
    memmove(buffer, line, size);
}

/*
 * The JVM's requests once the spawner is gone: a start is refused (F), a signal goes to the kept worker's group,
 * "Q" or the end of the input ends the keeper. Returns 0 when it is to end.
 */
static int keeper_answers(void) {
    static char buffer[1 << 16];
    static size_t size;
    ssize_t n = read(STDIN_FILENO, buffer + size, sizeof buffer - size - 1);
    if (n <= 0) return 0;
    size += (size_t) n;
    char *line = buffer, *end;
    while ((end = memchr(line, '\n', size - (size_t) (line - buffer))) != NULL) {
        *end = '\0';
        char id[32], signal_name[16];
        if (strcmp(line, "Q") == 0) return 0;
        if (sscanf(line, "S %31s", id) == 1) {
            say_failure(id, "the process spawner is gone");
        } else if (strcmp(line, "Y") == 0) {
            write_all("Y\n", 2);
        } else if (sscanf(line, "K %31s %15s", id, signal_name) == 2) {
            for (size_t i = 0; i < child_count; i++) {
                if (strcmp(children[i].id, id) == 0) {
                    kill(-children[i].pid, signal_number(signal_name));
                    kill(children[i].pid, signal_number(signal_name));
                }
            }
        }
        line = end + 1;
    }
    size -= (size_t) (line - buffer);
    if (size + 1 >= sizeof buffer) size = 0; /* a line longer than the buffer: not one the keeper answers */
    memmove(buffer, line, size);
    return 1;
}

/* See the top of this file: the keeper of {@code spawner}, for the JVM {@code boss}. */
static int keep(pid_t spawner, pid_t boss, int ends, int from_spawner) {
    int spawner_alive = 1;
    for (;;) {
        struct pollfd watched[3] = {{ends, POLLIN, 0}, {spawner_alive ? -1 : STDIN_FILENO, POLLIN, 0},
                                    {spawner_alive ? from_spawner : -1, POLLIN, 0}};
        int ready = poll(watched, 3, 250);
        if (getppid() != boss) {
            /* The JVM is gone: the spawner, if it lives, stops its own; the keeper stops what came to it. */
            if (spawner_alive) waitpid(spawner, NULL, 0);
            keeper_stops_all();
            return 0;
        }
        if (ready > 0 && (watched[0].revents & POLLIN)) {
            struct signalfd_siginfo info;
            while (read(ends, &info, sizeof info) == sizeof info) {
            }
        }
        if (ready > 0 && (watched[2].revents & (POLLIN | POLLHUP))) keeper_reads(from_spawner);
        if (ready > 0 && (watched[1].revents & (POLLIN | POLLHUP | POLLERR)) && !keeper_answers()) {
            keeper_stops_all();
            return 0;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == spawner) {
                spawner_alive = 0;
                if (!WIFSIGNALED(status)) continue;
                keeper_reads(from_spawner); /* what it said before it died */
                keeper_says("\nD\n%s", "", 0); /* after a partial line the spawner may have left */
                /* Pids the JVM may never have been told: the spawner holds its start lines back a few ms. */
                for (size_t i = 0; i < child_count; i++) keeper_says("P %s %ld\n", children[i].id, (long) children[i].pid);
                sweep_orphans_of(spawner);
                continue;
            }
            for (size_t i = 0; i < child_count; i++) {
                if (children[i].pid == pid) {
                    struct child ended = children[i];
                    children[i] = children[--child_count];
                    if (!spawner_alive) {
                        /* What it left behind came to the keeper, a subreaper too: stopped as its spawner would. */
                        char line[96];
                        int n = snprintf(line, sizeof line, "E %s %ld %d\n", ended.id, (long) status,
                                         stop_left_behind(&ended, spawner));
                        if (n > 0) write_all(line, (size_t) n);
                    }
                    break;
                }
            }
            /* Anything else was something a worker left behind, adopted: reaped, nothing to say. */
        }
        int none_left = pid < 0 && errno == ECHILD; /* read before the sweep's kill() sets errno anew */
        if (!spawner_alive) sweep_due();
        if (none_left && !spawner_alive) return 0;
    }
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
    /* Orphans of its workers' trees come to it, not to init: what a worker leaves behind can be found and stopped. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int ends = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    if (ends < 0) { perror("taylorism-spawner: signalfd"); return 1; }
    fcntl(STDIN_FILENO, F_SETFD, FD_CLOEXEC);
    fcntl(STDOUT_FILENO, F_SETFD, FD_CLOEXEC);

    pid_t boss = getppid();
    int to_keeper[2];
    if (pipe2(to_keeper, O_CLOEXEC) != 0) { perror("taylorism-spawner: pipe"); return 1; }
    pid_t spawner = fork();
    if (spawner < 0) { perror("taylorism-spawner: fork"); return 1; }
    if (spawner > 0) {
        close(to_keeper[1]);
        fcntl(to_keeper[0], F_SETFL, O_NONBLOCK);
        return keep(spawner, boss, ends, to_keeper[0]);
    }
    /* The spawner proper, the keeper's child: it watches the keeper as the keeper watches the JVM. */
    close(to_keeper[0]);
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* not inherited: the spawner too, so that its workers' orphans come to it */
    keeper_fd = to_keeper[1];
    fcntl(keeper_fd, F_SETFL, O_NONBLOCK);
    boss = getppid();
    say("R\n", 2, 1); /* ready: the JVM waits for this before it trusts a cached binary */
    size_t size = 0, capacity = 1 << 16;
    char *buffer = malloc(capacity);
    char **fields = NULL;
    size_t field_capacity = 0;
    int open_input = 1;
    while (open_input && getppid() == boss) {
        struct pollfd watched[2] = {{STDIN_FILENO, POLLIN, 0}, {ends, POLLIN, 0}};
        int sweep_in = sweep_due();
        int wait_ms = pending_length > 0 ? START_REPORT_DELAY_MS : 250;
        if (sweep_in >= 0 && sweep_in < wait_ms) wait_ms = sweep_in;
        int ready = poll(watched, 2, wait_ms);
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
                    for (size_t i = 0; i < sweep_count; i++) if (sweeps[i].group > 0) kill(-sweeps[i].group, SIGKILL);
                    kill_adopted();
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
