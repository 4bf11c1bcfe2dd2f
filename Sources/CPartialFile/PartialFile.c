#include "CPartialFile.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static char partial_path[4096];
static volatile sig_atomic_t partial_registered = 0;
static int handlers_installed = 0;
static const int caught_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};

static void remove_partial_and_reraise(int signal_number) {
    if (partial_registered) {
        unlink(partial_path);
        partial_registered = 0;
    }
    // The default action, so the exit status still says which signal stopped the process.
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signal_number, &fallback, NULL);
    raise(signal_number);
}

static void install_handlers(void) {
    if (handlers_installed) return;
    handlers_installed = 1;
    for (size_t i = 0; i < sizeof caught_signals / sizeof caught_signals[0]; i++) {
        struct sigaction previous;
        if (sigaction(caught_signals[i], NULL, &previous) != 0) continue;
        // A signal the caller chose to ignore (nohup's SIGHUP) stays ignored.
        if (previous.sa_handler == SIG_IGN) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = remove_partial_and_reraise;
        sigemptyset(&action.sa_mask);
        sigaction(caught_signals[i], &action, NULL);
    }
}

int merit_partial_file_register(const char *path) {
    size_t length = strlen(path);
    if (length >= sizeof partial_path) return -1;
    partial_registered = 0;
    memcpy(partial_path, path, length + 1);
    install_handlers();
    partial_registered = 1;
    return 0;
}

void merit_partial_file_clear(void) {
    partial_registered = 0;
}
