//go:build linux && amd64 && cgo && !eagergtk

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "symbols_linux_amd64.h"
#include "lazygtk.h"

// Filled by trampolines_linux_amd64.S: slot i first points at function i's
// resolving jump, and at the real function once resolved.
extern void *lazygtk_slots[LAZYGTK_FUNCTIONS];

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[1024];

// resolve opens the libraries, as the dynamic loader would have at start,
// and points every slot at its function. Either every slot is resolved or
// none is, and failure says why.
static void resolve(void) {
	void *handles[LAZYGTK_LIBRARIES];
	void *targets[LAZYGTK_FUNCTIONS];
	for (int i = 0; i < LAZYGTK_LIBRARIES; i++) {
		handles[i] = dlopen(lazygtk_library_names[i], RTLD_LAZY | RTLD_GLOBAL);
		if (handles[i] == NULL) {
			snprintf(failure, sizeof failure, "%s", dlerror());
			return;
		}
	}
	for (int i = 0; i < LAZYGTK_FUNCTIONS; i++) {
		targets[i] = dlsym(handles[lazygtk_functions[i].library], lazygtk_functions[i].name);
		if (targets[i] == NULL) {
			snprintf(failure, sizeof failure, "%s has no function %s (the binary was built against another version)",
				lazygtk_library_names[lazygtk_functions[i].library], lazygtk_functions[i].name);
			return;
		}
	}
	for (int i = 0; i < LAZYGTK_FUNCTIONS; i++) {
		__atomic_store_n(&lazygtk_slots[i], targets[i], __ATOMIC_RELEASE);
	}
}

const char *lazygtk_load(void) {
	pthread_once(&once, resolve);
	return failure[0] != '\0' ? failure : NULL;
}

// lazygtk_resolve is reached from a trampoline when a function is called
// before lazygtk_load: there is no caller to return an error to.
void lazygtk_resolve(void) {
	const char *err = lazygtk_load();
	if (err != NULL) {
		fprintf(stderr, "lineagedesk: the window's libraries: %s\n", err);
		abort();
	}
}
