# taylorism's process spawner: forks, puts each child in a session of its own, execs it, and reports
# starts and ends to the JVM that started it. When its standard input ends without "Q", that JVM is gone,
# and every child still alive is sent SIGTERM, given up to 5 s, then frozen and killed, with its whole process
# group.
#
# Input lines (every field hex-encoded):
#   S id cwd exe stdout stderr nenv k=v... argv...
#                                                start a program (cwd "-" for the spawner's own; exe the file
#                                                to run, "-" to look argv[0] up on the PATH)
#   K id SIGNAL                                  signal a child's process group (and the child)
#   Q                                            leave without killing
#   Y                                            (to a keeper whose spawner is gone) answer Y once every line
#                                                before it is dealt with
# Output lines:
#   R                   ready (once, first)
#   P id pid            started
#   F id message        could not start (message hex-encoded)
#   E id status left    ended, with its raw wait status and how many processes it left behind (stopped now)
#   D                   the spawner was killed (from the keeper; P and E lines of its workers follow)
#   Y                   the keeper's answer to Y: a start asked before it that has neither P nor F now was in
#                       the dead spawner's hands and never began, and the JVM starts it anew elsewhere
#
# As the native spawner (spawner.c, whose first comment says more): two processes, a keeper (the one the JVM
# starts) and the spawner proper, its child, which tells the keeper the pid and id of each child it starts and the
# pid of each that ends; both are subreapers; each worker's environment carries TAYLORISM_WORKER_TAG, and what a
# worker leaves behind is sent SIGTERM at its end and SIGKILL 5 s later.
use strict;
use warnings;
use Config;
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
use POSIX qw(setsid WNOHANG _exit);

$| = 1;
$SIG{INT} = 'IGNORE';
$SIG{HUP} = 'IGNORE';
# Signals sent to the Boss's whole process group are the JVM's to act on: it stops its workers through this
# spawner, which must still be there to do so.
$SIG{QUIT} = 'IGNORE';
$SIG{TERM} = 'IGNORE';
# A write to the JVM after it died fails with EPIPE instead of killing this process before its clean-up.
$SIG{PIPE} = 'IGNORE';
# Out of the Boss's process group too: a child is in this process's group from its fork to its setsid, and a
# signal sent to the group then would reach it.
setsid();

# PR_SET_CHILD_SUBREAPER (36) through prctl's system call, whose number is the architecture's.
sub subreaper {
    my $number = eval { require 'syscall.ph'; &SYS_prctl() };
    $number //= $Config{archname} =~ /^x86_64/ ? 157 : $Config{archname} =~ /^aarch64/ ? 167 : undef;
    syscall($number, 36, 1, 0, 0, 0) if defined $number;
}

# The processes this one is the parent of, from /proc.
sub own_children {
    open(my $list, '<', "/proc/$$/task/$$/children") or return ();
    my $line = <$list> // '';
    close $list;
    return split ' ', $line;
}

# Process $pid's tag ("TAYLORISM_WORKER_TAG=...", its environment's first), or undef.
sub tag_of {
    my ($pid) = @_;
    open(my $file, '<', "/proc/$pid/environ") or return undef;
    local $/;
    my $environ = <$file> // '';
    close $file;
    my ($tag) = grep { /^TAYLORISM_WORKER_TAG=/ } split /\0/, $environ;
    return $tag;
}

# Whether process $pid's tag is $tag.
sub has_tag {
    my ($pid, $tag) = @_;
    return (tag_of($pid) // '') eq $tag;
}

# SIGTERM, then up to 5 s, then SIGKILL, to every child of this process but those in @keep, with their groups.
sub stop_own_children {
    my %keep = map { $_ => 1 } @_;
    my @children = grep { !$keep{$_} } own_children();
    for my $signal ('TERM', 'KILL') {
        for my $pid (@children) { kill($signal, -$pid) if getpgrp($pid) == $pid; kill($signal, $pid); }
        last if $signal eq 'KILL';
        for (1 .. 50) {
            1 while waitpid(-1, WNOHANG) > 0;
            @children = grep { !$keep{$_} } own_children();
            last unless @children;
            select(undef, undef, undef, 0.1);
        }
        last unless @children;
    }
}

# Tags of ended workers whose leftovers got SIGTERM: tag -> [process group, when they get SIGKILL, the workers that
# still run]; the group is the ended worker's (its pid), or 0 where the keeper knows none (what came to it at its
# spawner's death).
my %sweeps;

# Sends $signal to this process's adopted children tagged $tag but those in %$tracked (workers that still run), with
# their groups; returns how many there were.
sub signal_adopted {
    my ($tag, $signal, $tracked) = @_;
    my $found = 0;
    for my $pid (own_children()) {
        next if exists $tracked->{$pid} || !has_tag($pid, $tag);
        kill($signal, -$pid) if getpgrp($pid) == $pid;
        kill($signal, $pid);
        $found++;
    }
    return $found;
}

# A worker ended, started by the spawner $spawner (this process, or the keeper's dead spawner: the pid in its tag):
# what it left behind gets SIGTERM now, SIGKILL 5 s later; returns how many processes that was.
sub left_behind {
    my ($spawner, $id, $pid, $tracked) = @_;
    my $tag = "TAYLORISM_WORKER_TAG=$spawner.$id";
    my $found = signal_adopted($tag, 'TERM', $tracked);
    my $group_left = kill(0, -$pid);
    kill('TERM', -$pid) if $group_left;
    return 0 unless $found || $group_left;
    $sweeps{$tag} = [$pid, time() + 5, $tracked];
    return $found || 1;
}

# Kills what ended workers left behind and did not leave within its grace.
sub sweep_due {
    my $now = time();
    for my $tag (keys %sweeps) {
        my ($group, $due, $tracked) = @{$sweeps{$tag}};
        next if $due > $now;
        signal_adopted($tag, 'KILL', $tracked);
        # The reaped worker's group, unless its pid now names another process (reused: not the worker's group).
        kill('KILL', -$group) if $group && !kill(0, $group);
        delete $sweeps{$tag};
    }
}

# The keeper's spawner $spawner was killed: what workers that ended before its death left behind came to the keeper
# with the workers that still run (%$kept: pid -> id). The spawner had sent those SIGTERM, and would have sent SIGKILL
# after their grace: they get SIGTERM again now, and SIGKILL 5 s later. Found by the dead spawner's pid in their tags,
# with the id of no worker that still runs (what those leave is theirs, stopped at their ends).
sub sweep_orphans_of {
    my ($spawner, $kept) = @_;
    my %running = map { $_ => 1 } values %$kept;
    for my $pid (own_children()) {
        next if exists $kept->{$pid};
        my $tag = tag_of($pid) // next;
        next unless $tag =~ /^TAYLORISM_WORKER_TAG=\Q$spawner\E\.(.+)$/ && !$running{$1} && !exists $sweeps{$tag};
        signal_adopted($tag, 'TERM', $kept);
        $sweeps{$tag} = [0, time() + 5, $kept];
    }
}

# The JVM's requests once the spawner is gone: a start is refused, a signal goes to the kept worker (%$kept: pid ->
# id). $$input holds what came of a line so far. Returns 0 when the keeper is to end ("Q", or the end of the input).
sub keeper_answers {
    my ($input, $kept) = @_;
    my $n = sysread(STDIN, $$input, 65536, length $$input);
    return 0 unless $n;
    while ((my $end = index($$input, "\n")) >= 0) {
        my $line = substr($$input, 0, $end);
        substr($$input, 0, $end + 1) = '';
        return 0 if $line eq 'Q';
        if ($line =~ /^S (\S+)/) { print "F $1 " . unpack('H*', 'the process spawner is gone') . "\n"; }
        elsif ($line eq 'Y') { print "Y\n"; }
        elsif ($line =~ /^K (\S+) (\S+)$/) {
            my ($id, $signal) = ($1, $2);
            for my $pid (grep { $kept->{$_} eq $id } keys %$kept) { kill($signal, -$pid); kill($signal, $pid); }
        }
    }
    return 1;
}

# The keeper (see the top of this file) of $spawner, for the JVM $jvm, told by the spawner through $from.
sub keep {
    my ($spawner, $jvm, $from) = @_;
    my (%kept, $told, $input);
    my $alive = 1;
    $told = '';
    $input = '';
    my $read_told = sub {
        while (defined(my $n = sysread($from, $told, 65536, length $told)) ) {
            last if $n == 0;
        }
        while ((my $end = index($told, "\n")) >= 0) {
            my $line = substr($told, 0, $end);
            substr($told, 0, $end + 1) = '';
            if ($line =~ /^S (\d+) (\S+)$/) { $kept{$1} = $2; }
            elsif ($line =~ /^E (\d+)$/) { delete $kept{$1}; }
        }
    };
    while (1) {
        if (getppid() != $jvm) {
            waitpid($spawner, 0) if $alive;
            stop_own_children();
            return;
        }
        my $want = '';
        vec($want, $alive ? fileno($from) : fileno(STDIN), 1) = 1;
        my $ready = select(my $got = $want, undef, undef, 0.25);
        if ($ready > 0 && $alive) { $read_told->(); }
        if ($ready > 0 && !$alive && !keeper_answers(\$input, \%kept)) {
            stop_own_children();
            return;
        }
        my $pid;
        while (($pid = waitpid(-1, WNOHANG)) > 0) {
            my $status = $?;
            if ($pid == $spawner) {
                $alive = 0;
                next unless $status & 127;
                $read_told->();
                print "\nD\n"; # after a partial line the spawner may have left
                print "P $kept{$_} $_\n" for keys %kept;
                sweep_orphans_of($spawner, \%kept);
                next;
            }
            my $id = delete $kept{$pid};
            # What it left behind came to the keeper, a subreaper too: stopped as its spawner would.
            print "E $id $status " . left_behind($spawner, $id, $pid, \%kept) . "\n" if defined $id && !$alive;
        }
        sweep_due() unless $alive;
        return if $pid < 0 && !$alive;
    }
}

subreaper();
pipe(my $from_spawner, my $to_keeper) or die "taylorism-spawner: pipe: $!";
my $jvm = getppid();
my $spawner = fork();
die "taylorism-spawner: fork: $!" unless defined $spawner;
if ($spawner) {
    close $to_keeper;
    fcntl($from_spawner, F_SETFL, fcntl($from_spawner, F_GETFL, 0) | O_NONBLOCK);
    keep($spawner, $jvm, $from_spawner);
    exit 0;
}
# The spawner proper, the keeper's child.
close $from_spawner;
subreaper(); # not inherited
fcntl($to_keeper, F_SETFL, fcntl($to_keeper, F_GETFL, 0) | O_NONBLOCK);
my $me = $$;
sub tell_keeper { syswrite($to_keeper, shift); }
print "R\n"; # ready: the JVM waits for this

my %pid_of;   # id -> pid
my %id_of;    # pid -> id

sub unhex { my $h = shift; return pack('H*', $h); }

sub reap {
    while ((my $pid = waitpid(-1, WNOHANG)) > 0) {
        my $status = $?;
        my $id = delete $id_of{$pid};
        next unless defined $id; # an adopted orphan (SIGCHLD is blocked while a child's start is recorded)
        delete $pid_of{$id};
        my $left = left_behind($me, $id, $pid, \%id_of);
        print "E $id $status $left\n";
        tell_keeper("E $pid\n"); # only once the JVM has its end
    }
}

# The handler may run between any two statements, reap() itself included: it must leave $? and $! alone.
$SIG{CHLD} = sub { local ($?, $!); reap(); };

sub start {
    my ($id, $cwd, $exe, $out, $err, $nenv, @rest) = @_;
    my @env = map { unhex($_) } splice(@rest, 0, $nenv);
    my @argv = map { unhex($_) } @rest;
    pipe(my $report, my $child_side) or do { print "F $id " . unpack('H*', "pipe: $!") . "\n"; return; };
    # SIGCHLD waits until the child's start is recorded: an end reaped before would belong to no known child.
    my $blocked = POSIX::SigSet->new(POSIX::SIGCHLD());
    POSIX::sigprocmask(POSIX::SIG_BLOCK(), $blocked);
    my $pid = fork();
    if (!defined $pid) {
        POSIX::sigprocmask(POSIX::SIG_UNBLOCK(), $blocked);
        print "F $id " . unpack('H*', "fork: $!") . "\n";
        return;
    }
    if ($pid == 0) {
        POSIX::sigprocmask(POSIX::SIG_SETMASK(), POSIX::SigSet->new());
        close $report;
        $SIG{CHLD} = 'DEFAULT';
        $SIG{INT} = 'DEFAULT';
        $SIG{HUP} = 'DEFAULT';
        $SIG{PIPE} = 'DEFAULT';
        $SIG{QUIT} = 'DEFAULT';
        $SIG{TERM} = 'DEFAULT';
        setsid();
        my $fail = sub { print $child_side shift; close $child_side; _exit(127); };
        if ($cwd ne '-') { chdir(unhex($cwd)) or $fail->("cannot enter " . unhex($cwd) . ": $!"); }
        open(STDIN, '<', '/dev/null') or $fail->("/dev/null: $!");
        open(STDOUT, '>', unhex($out)) or $fail->("cannot write " . unhex($out) . ": $!");
        open(STDERR, '>', unhex($err)) or $fail->("cannot write " . unhex($err) . ": $!");
        for my $kv (@env) { my ($k, $v) = split(/=/, $kv, 2); $ENV{$k} = $v; }
        $ENV{TAYLORISM_WORKER_TAG} = "$me.$id";
        my $program = $exe eq '-' ? $argv[0] : unhex($exe);
        { no warnings 'exec'; exec { $program } @argv; }
        $fail->("cannot run $argv[0]: $!");
    }
    close $child_side;
    tell_keeper("S $pid $id\n"); # at once: a child that kills this spawner as it starts is still the keeper's to report
    my $problem = '';
    while (1) {
        my $n = sysread($report, my $chunk, 4096);
        if (!defined $n) { next if $!{EINTR}; last; }
        last if $n == 0;
        $problem .= $chunk;
    }
    close $report;
    if ($problem ne '') {
        tell_keeper("E $pid\n");
        waitpid($pid, 0);
        POSIX::sigprocmask(POSIX::SIG_UNBLOCK(), $blocked);
        print "F $id " . unpack('H*', $problem) . "\n";
        return;
    }
    # P before any E of the child: its end, if it came, is handled once SIGCHLD is unblocked.
    print "P $id $pid\n";
    $id_of{$pid} = $id;
    $pid_of{$id} = $pid;
    POSIX::sigprocmask(POSIX::SIG_UNBLOCK(), $blocked);
    reap();
}

# Lines from the JVM, read through select() so that a change of parent is noticed too: end-of-file alone is
# not enough when some other process happens to hold the pipe's other end.
my $boss = getppid();
my $buffer = '';
my $input_open = 1;
while ($input_open) {
    last if getppid() != $boss; # checked at every turn: signals may keep select() from ever timing out
    sweep_due();
    my $want = '';
    vec($want, fileno(STDIN), 1) = 1;
    my $ready = select(my $got = $want, undef, undef, 0.25);
    if ($ready < 0) {
        next if $!{EINTR};
        last;
    }
    next if $ready == 0;
    my $n = sysread(STDIN, $buffer, 65536, length $buffer);
    if (!defined $n) {
        next if $!{EINTR} || $!{EAGAIN};
        last;
    }
    $input_open = 0 if $n == 0;
    while ((my $end = index($buffer, "\n")) >= 0) {
        my $line = substr($buffer, 0, $end);
        substr($buffer, 0, $end + 1) = '';
        my ($op, @fields) = split / /, $line, -1; # -1: an empty argument is an empty field, kept
        next unless defined $op;
        if ($op eq 'S') { start(@fields); }
        elsif ($op eq 'K') {
            my $pid = $pid_of{$fields[0]};
            if (defined $pid) { kill($fields[1], -$pid); kill($fields[1], $pid); }
        }
        elsif ($op eq 'Q') { kill('KILL', -$_->[0]) for grep { $_->[0] } values %sweeps; stop_own_children(); exit 0; }
    }
}
# The JVM is gone: nothing it started may outlive it. Its children's ends may no longer be reported: a
# report written to the dead JVM's pipe would raise SIGPIPE and kill this process halfway through the list.
$SIG{CHLD} = 'DEFAULT';
$SIG{PIPE} = 'IGNORE';
my @pids = values %pid_of;
# SIGTERM first, and up to 5 s to go: a worker JVM whose task returned writes its result, for a run that
# resumes this one to adopt.
kill('TERM', -$_) for @pids;
kill('TERM', $_) for @pids;
for (1 .. 50) {
    last unless grep { waitpid($_, WNOHANG) == 0 } @pids;
    select(undef, undef, undef, 0.1);
}
kill('STOP', -$_) for @pids;
kill('KILL', -$_) for @pids;
kill('KILL', $_) for @pids;
kill('KILL', -$_->[0]) for grep { $_->[0] } values %sweeps;
stop_own_children();
exit 0;
