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
# Output lines:
#   R                   ready (once, first)
#   P id pid            started
#   F id message        could not start (message hex-encoded)
#   E id status         ended, with its raw wait status
use strict;
use warnings;
use POSIX qw(setsid WNOHANG _exit);

$| = 1;
print "R\n"; # ready: the JVM waits for this
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
my %pid_of;   # id -> pid
my %id_of;    # pid -> id
my %early;    # pid -> status, for children that ended before their start was recorded
my %leftover; # pid -> 1: process groups of ended children, killed when this spawner goes

sub unhex { my $h = shift; return pack('H*', $h); }

sub reap {
    while ((my $pid = waitpid(-1, WNOHANG)) > 0) {
        my $status = $?;
        my $id = delete $id_of{$pid};
        if (!defined $id) { $early{$pid} = $status; next; }
        delete $pid_of{$id};
        $leftover{$pid} = 1;
        print "E $id $status\n";
    }
}
# The handler may run between any two statements, reap() itself included: it must leave $? and $! alone.
$SIG{CHLD} = sub { local ($?, $!); reap(); };

sub start {
    my ($id, $cwd, $exe, $out, $err, $nenv, @rest) = @_;
    my @env = map { unhex($_) } splice(@rest, 0, $nenv);
    my @argv = map { unhex($_) } @rest;
    pipe(my $report, my $child_side) or do { print "F $id " . unpack('H*', "pipe: $!") . "\n"; return; };
    my $pid = fork();
    if (!defined $pid) {
        print "F $id " . unpack('H*', "fork: $!") . "\n";
        return;
    }
    if ($pid == 0) {
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
        my $program = $exe eq '-' ? $argv[0] : unhex($exe);
        { no warnings 'exec'; exec { $program } @argv; }
        $fail->("cannot run $argv[0]: $!");
    }
    close $child_side;
    my $problem = '';
    while (1) {
        my $n = sysread($report, my $chunk, 4096);
        if (!defined $n) { next if $!{EINTR}; last; }
        last if $n == 0;
        $problem .= $chunk;
    }
    close $report;
    if ($problem ne '') {
        waitpid($pid, 0);
        delete $early{$pid}; # the SIGCHLD handler may have reaped it first: its pid may come back for another
        print "F $id " . unpack('H*', $problem) . "\n";
        return;
    }
    # In this order: P before any E of the child; both maps set before looking for an end reaped too early.
    # The SIGCHLD handler may run between any two statements: either it finds the child in the maps and
    # reports it, or it parks the status in %early, which the check below claims.
    print "P $id $pid\n";
    $id_of{$pid} = $id;
    $pid_of{$id} = $pid;
    if (exists $early{$pid}) {
        delete $id_of{$pid};
        delete $pid_of{$id};
        $leftover{$pid} = 1;
        print "E $id " . delete($early{$pid}) . "\n";
        return;
    }
    reap();
}

# Lines from the JVM, read through select() so that a change of parent is noticed too: end-of-file alone is
# not enough when some other process happens to hold the pipe's other end.
my $boss = getppid();
my $buffer = '';
my $input_open = 1;
while ($input_open) {
    last if getppid() != $boss; # checked at every turn: signals may keep select() from ever timing out
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
        elsif ($op eq 'Q') { kill('KILL', -$_) for keys %leftover; exit 0; }
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
kill('KILL', -$_) for keys %leftover;
exit 0;
