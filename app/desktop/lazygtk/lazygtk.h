// lazygtk_load opens GTK and WebKitGTK and resolves every trampoline, once;
// it returns NULL, or what failed.
const char *lazygtk_load(void);
