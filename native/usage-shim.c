/*
 * overseer-usage-shim [--cgroup DIR] FILE [ARG...]
 *
 * With `--cgroup DIR`, it first moves itself into the cgroup DIR (writing 0 to its
 * cgroup.procs), so that its child and every descendant are born inside: the supervisor
 * spawns it straight, without a shell to enter the cgroup first (Node cannot spawn into a
 * cgroup). A failure to enter exits 126 with a message, before anything runs.
 *
 * Runs FILE ARG... as its only child and, once that child has exited, reports what the
 * child's whole tree used, as one line on fd 3 (when fd 3 is open):
 *
 *     maxrss_kb utime_us stime_us\n
 *
 * from getrusage(RUSAGE_CHILDREN): the largest peak resident set of any process of the
 * tree it reaped, and the CPU time of all of them. Node cannot tell a child's rusage (libuv
 * reaps children with waitpid, not wait4), and sampling /proc cannot see a run of 50 ms.
 *
 * - It is a child subreaper: descendants orphaned by a double fork or setsid are re-parented
 *   to it rather than to PID 1, and are reaped by it, so their usage counts too.
 * - It survives every catchable signal (a no-op handler, which exec resets in the child, not
 *   SIG_IGN, which the child would inherit): the supervisor signals the whole process group,
 *   so the child already receives what the shim receives.
 * - It exits as its child did: the same exit code, or the same signal raised on itself.
 * - It does not wait for descendants still alive after the child exited: the supervisor's
 *   containment ends those, and their CPU is not counted.
 *
 * stdin, stdout and stderr are the child's; fd 3 is closed in the child. An exec failure
 * exits 127 with a message on stderr, as sh does. Linux only, C99 and libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPORT_FD 3

/* Signals a process receives from another, whose default action would end or stop it. */
static int survived(int sig) {
  switch (sig) {
  case SIGKILL: /* cannot be caught */
  case SIGSTOP:
  case SIGCHLD: /* ignored by default: nothing to survive, and waitpid needs it default */
  case SIGCONT:
  case SIGURG:
  case SIGWINCH:
    return 0;
  default:
    return 1;
  }
}

/* Raised by the CPU on a fault of this very process rather than sent by someone. */
static int fault(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP ||
         sig == SIGSYS;
}

static void ignore_signal(int sig) { (void)sig; }

/*
 * A fault signal sent with kill() is survived like any other; a real fault is not: back to
 * the default action, and returning runs the faulting instruction again, which now ends us.
 */
static void on_fault(int sig, siginfo_t *info, void *context) {
  (void)context;
  if (info->si_code <= 0) return; /* SI_USER, SI_QUEUE, SI_TKILL: sent by a process */
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  sigaction(sig, &action, NULL);
}

/* No-op handlers on every signal to survive (SIG_DFL with `reset`). */
static void set_handlers(int reset) {
  for (int sig = 1; sig < NSIG; sig++) {
    if (!survived(sig)) continue;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    if (reset) {
      action.sa_handler = SIG_DFL;
    } else if (fault(sig)) {
      action.sa_sigaction = on_fault;
      action.sa_flags = SA_SIGINFO | SA_RESTART;
    } else {
      action.sa_handler = ignore_signal;
      action.sa_flags = SA_RESTART;
    }
    /* Fails for the real-time signals libc keeps for itself: nothing to do about those. */
    sigaction(sig, &action, NULL);
  }
}

/* Reaps every child, re-parented orphans included, until `child` exits; its wait status. */
static int wait_for(pid_t child) {
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, __WALL);
    if (pid == child) return status;
    if (pid == -1 && errno != EINTR) {
      fprintf(stderr, "overseer-usage-shim: waitpid: %s\n", strerror(errno));
      exit(127);
    }
  }
}

/* Reaps the descendants that are already dead, without waiting for the living. */
static void reap_zombies(void) {
  for (;;) {
    pid_t pid = waitpid(-1, NULL, WNOHANG | __WALL);
    if (pid > 0 || (pid == -1 && errno == EINTR)) continue;
    return;
  }
}

static long long microseconds(struct timeval time) {
  return (long long)time.tv_sec * 1000000 + time.tv_usec;
}

/* `maxrss_kb utime_us stime_us\n` of every process reaped, to fd 3; a reader gone is no error. */
static void report_usage(void) {
  struct rusage usage;
  if (getrusage(RUSAGE_CHILDREN, &usage) != 0) return;
  char line[96];
  int length = snprintf(line, sizeof line, "%ld %lld %lld\n", usage.ru_maxrss,
                        microseconds(usage.ru_utime), microseconds(usage.ru_stime));
  for (int written = 0; written < length;) {
    ssize_t n = write(REPORT_FD, line + written, (size_t)(length - written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break; /* EPIPE: SIGPIPE has the no-op handler, so write just fails */
    written += (int)n;
  }
  close(REPORT_FD);
}

/* Ends this process as the child ended: its exit code, or its signal. */
static void exit_as(int status) {
  if (WIFEXITED(status)) exit(WEXITSTATUS(status));
  if (!WIFSIGNALED(status)) exit(127);
  int sig = WTERMSIG(status);
  if (sig != SIGKILL) {
    /* The child may have dumped core: this process must not write a core over it. */
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(sig, &action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
  }
  raise(sig);
  exit(128 + sig); /* only if the signal did not end us */
}

/* Moves this process into the cgroup `dir`; exits 126 when it cannot. */
static void enter_cgroup(const char *dir) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s/cgroup.procs", dir) >= (int)sizeof path) {
    fprintf(stderr, "overseer: cannot enter the run's cgroup %s: path too long\n", dir);
    exit(126);
  }
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, "0", 1) != 1) {
    fprintf(stderr, "overseer: cannot enter the run's cgroup %s: %s\n", dir, strerror(errno));
    exit(126);
  }
  close(fd);
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "--cgroup") == 0) {
    enter_cgroup(argv[2]);
    argc -= 2;
    argv += 2;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: overseer-usage-shim [--cgroup DIR] FILE [ARG...]\n");
    return 127;
  }
  int reporting = fcntl(REPORT_FD, F_GETFD) != -1;
  if (reporting && fcntl(REPORT_FD, F_SETFD, FD_CLOEXEC) != 0) reporting = 0;
  /* Linux >= 3.4. Should it fail, orphans go to PID 1 and only their CPU is lost. */
  prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);

  /*
   * Signals stay blocked across the fork: the child sets the default actions back before it
   * takes any, so a stop signal arriving before its exec ends it instead of being swallowed
   * by a no-op handler it inherited.
   */
  sigset_t all, previous;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &previous);
  set_handlers(0);
  pid_t child = fork();
  if (child == 0) {
    set_handlers(1);
    sigprocmask(SIG_SETMASK, &previous, NULL);
    execvp(argv[1], argv + 1);
    fprintf(stderr, "overseer: cannot run %s: %s\n", argv[1], strerror(errno));
    _exit(127);
  }
  if (child < 0) {
    fprintf(stderr, "overseer: cannot run %s: %s\n", argv[1], strerror(errno));
    return 127;
  }
  sigprocmask(SIG_SETMASK, &previous, NULL);
  /* The data on stdin is the child's: a writer sees the pipe break once the child is done. */
  close(STDIN_FILENO);

  int status = wait_for(child);
  reap_zombies();
  if (reporting) report_usage();
  exit_as(status);
  return 127;
}
