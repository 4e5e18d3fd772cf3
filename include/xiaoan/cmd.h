/* cmd.h — command entries, like tmux's cmd_entry.  Each file in src/cmd
 * exports an array of entries (name, operand synopsis and bounds, its own
 * options with their help, what it needs resolved, the function that runs
 * it); src/cmd/table.c lists the arrays.  One parser (src/cmd/entry.c)
 * does getopt_long, operand counts, required options, --help, the home /
 * store resolution and the unlocking, then calls the entry's exec with a
 * context holding what it asked for; it closes all of it afterwards.
 * `xiaoan --help`, `xiaoan help CMD` and `CMD --help` are generated from
 * the same entries.  Recipe: docs/HACKING.md "Adding a command". */
#ifndef XIAOAN_CMD_H
#define XIAOAN_CMD_H

#include "xiaoan/centralstore.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/identity.h"
#include "xiaoan/mem.h"

/* What an entry needs the parser to resolve before exec (bits of .needs).
 * Each adds its standard options, listed in the command's help. */
enum {
    /* --home DIR (else $XIAOAN_HOME, ...) resolved (and created): c->home */
    XA_NEED_HOME = 1 << 0,
    /* --passphrase-file FILE accepted: c->passfile (else $XIAOAN_PASSPHRASE_FILE) */
    XA_NEED_PASSFILE = 1 << 1,
    /* the field store in the home, opened with the passphrase: c->field */
    XA_NEED_FIELD = 1 << 2 | XA_NEED_HOME | XA_NEED_PASSFILE,
    /* --store FILE (else $XIAOAN_STORE) must be given: c->store_path (not opened) */
    XA_NEED_STORE_PATH = 1 << 3,
    /* the central store opened: c->store */
    XA_NEED_STORE = 1 << 4 | XA_NEED_STORE_PATH,
    /* and the office key unlocked with the office passphrase: c->office */
    XA_NEED_OFFICE = 1 << 5 | XA_NEED_STORE | XA_NEED_PASSFILE,
    /* the home's lock (homelock.h) held for the whole run, taken before anything is
     * asked or opened: every command that writes field.db (issue 11 #5) */
    XA_NEED_LOCK = 1 << 6 | XA_NEED_HOME,
};

/* Option flags (.flags of struct xa_cmd_opt). */
enum {
    XA_OPT_REQUIRED = 1 << 0, /* a usage error when missing */
    XA_OPT_CHOICE = 1 << 1,   /* the value must be one of .arg's "a|b|c" */
};

/* The most options one entry may declare (its own plus the standard ones). */
#define XA_CMD_MAX_OPTS 24

/* One option of a command. */
struct xa_cmd_opt {
    const char *name;  /* long name without the dashes: "county" */
    char letter;       /* short form ('o' for -o) or 0 */
    const char *arg;   /* value placeholder ("FILE", "zh|en"); NULL: a flag without value */
    const char *help;  /* one line for `xiaoan help CMD`; NULL: accepted but not listed */
    unsigned flags;    /* XA_OPT_... */
};

struct xa_cmd_ctx;

/* One command. */
struct xa_cmd_entry {
    const char *name;              /* "init", "forms check", "central merge" */
    const char *args;              /* operand synopsis: "", "FILE", "[DIR]", "BUNDLE..." */
    int min_args, max_args;        /* operand bounds; max_args -1: no limit */
    const char *help;              /* one line */
    const struct xa_cmd_opt *opts; /* its own options, ended by {0}; NULL: none */
    unsigned needs;                /* XA_NEED_... bits */
    /* Optional: usage checks of option values and operands, run before anything is
     * resolved or asked for; returns -1 when fine, else the exit code (xa_cmd_usage). */
    int (*check)(struct xa_cmd_ctx *c);
    /* Runs the command; returns the exit code. */
    int (*exec)(struct xa_cmd_ctx *c);
    /* Optional, with XA_NEED_LOCK: a flag of the entry that makes the run read-only
     * (attach --list), so it runs without the home's lock. */
    const char *lock_unless;
};

/* What exec gets: the operands, the option values, what .needs resolved. */
struct xa_cmd_ctx {
    const struct xa_cmd_entry *entry;
    int argc;                           /* the operands (options removed) */
    char **argv;
    const char *val[XA_CMD_MAX_OPTS];   /* by option index; "" for a given flag */
    const char *passfile;               /* --passphrase-file, else $XIAOAN_PASSPHRASE_FILE */
    char *home;                         /* XA_NEED_HOME */
    const char *store_path;             /* XA_NEED_STORE_PATH */
    xa_fstore *field;                   /* XA_NEED_FIELD */
    xa_cstore *store;                   /* XA_NEED_STORE */
    xa_identity *office;                /* XA_NEED_OFFICE, or xa_cmd_unlock_office */
    struct xa_homelock *lock;           /* XA_NEED_LOCK (unless .lock_unless was given) */
    const struct xa_cmd_entry *const *table; /* every entry (for `help`) */
    /* private to the parser */
    const struct xa_cmd_opt *optv[XA_CMD_MAX_OPTS];
    int nopts;
    int implicit; /* run without its name (`xiaoan` alone runs tui) */
};

/* The entry arrays, each ended by an entry with a NULL name, and the list of them
 * (src/cmd/table.c, NULL-terminated; help lists them in this order). */
extern const struct xa_cmd_entry cmd_help_entries[];    /* src/cmd/entry.c */
extern const struct xa_cmd_entry cmd_field_entries[];   /* src/cmd/field.c */
extern const struct xa_cmd_entry cmd_attach_entries[];  /* src/cmd/attach.c */
extern const struct xa_cmd_entry cmd_tui_entries[];     /* src/cmd/tui.c */
extern const struct xa_cmd_entry cmd_forms_entries[];   /* src/cmd/forms.c */
extern const struct xa_cmd_entry cmd_demo_entries[];    /* src/cmd/demo.c */
extern const struct xa_cmd_entry cmd_brief_entries[];   /* src/cmd/briefimport.c */
extern const struct xa_cmd_entry cmd_central_entries[]; /* src/cmd/central.c */
extern const struct xa_cmd_entry cmd_loop_entries[];    /* src/cmd/loop.c */
extern const struct xa_cmd_entry cmd_draw_entries[];    /* src/cmd/draw.c */
extern const struct xa_cmd_entry cmd_quarantine_entries[]; /* src/cmd/quarantine.c */
extern const struct xa_cmd_entry *const xa_cmd_table[];

/* ---- src/cmd/entry.c ------------------------------------------------------------ */

/* Run the command argv names (argv[0] is the program; no command, or an option
 * first, runs the entry named "tui"); returns the exit code. */
int xa_cmd_main(const struct xa_cmd_entry *const *table, int argc, char **argv);

/* The entry whose name equals the leading words of argv (the longest), or NULL;
 * *words gets its number of words. */
const struct xa_cmd_entry *xa_cmd_lookup(const struct xa_cmd_entry *const *table, int argc,
                                         char **argv, int *words);

/* Parse argv (argv[0] = the command's last word) into c as e declares it: options,
 * required options, choices, operand counts, then e->check.  Resolves nothing.
 * Returns -1 when fine, else the exit code (the usage error printed). */
int xa_cmd_parse(const struct xa_cmd_entry *e, int argc, char **argv, struct xa_cmd_ctx *c);

/* Resolve what e->needs asks for (home, store, unlocking); -1 when fine, else the
 * exit code (the error printed). */
int xa_cmd_resolve(struct xa_cmd_ctx *c);

/* Close and free what xa_cmd_resolve (or xa_cmd_unlock_office) opened. */
void xa_cmd_ctx_clear(struct xa_cmd_ctx *c);

/* The value of option `name` (declared by the entry or standard), or NULL when not
 * given.  A name the entry does not declare is a programming error (abort). */
const char *xa_cmd_opt(const struct xa_cmd_ctx *c, const char *name);

/* Was the flag (or option) `name` given? */
int xa_cmd_flag(const struct xa_cmd_ctx *c, const char *name);

/* Replace the value of option `name` (a check hook normalising a spelling); value must
 * outlive the command. */
void xa_cmd_opt_set(struct xa_cmd_ctx *c, const char *name, const char *value);
/* -1 when the command's -o FILE (if any) may be written: absent, or
 * --force given; else the exit code of the one-line refusal (issue 11: -o
 * never replaces a file, the store included, unless asked twice). */
int xa_cmd_output_ok(const struct xa_cmd_ctx *c);
/* The file writers' flags for -o: XA_OUT_FORCE when --force was given. */
int xa_cmd_output_flags(const struct xa_cmd_ctx *c);

/* -1 when operand 0 is a key fingerprint; else the usage error's exit code (a
 * check hook, or the first step of one). */
int xa_cmd_check_fingerprint(struct xa_cmd_ctx *c);

/* Unlock the office key now (for entries with XA_NEED_STORE | XA_NEED_PASSFILE that
 * check something in the store first); 0 on success, else the exit code. */
int xa_cmd_unlock_office(struct xa_cmd_ctx *c);

/* "xiaoan: MSG (see xiaoan NAME --help)" on stderr; returns 2. */
int xa_cmd_usage(const struct xa_cmd_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The help of one entry (usage line with every option, the help line, the
 * options with their help), appended to out. */
void xa_cmd_help_text(const struct xa_cmd_entry *e, xa_buf *out);

/* The overview of every entry in table, appended to out. */
void xa_cmd_overview_text(const struct xa_cmd_entry *const *table, xa_buf *out);

#endif
