/* bench.h — what the benchmark programs in bench/ share: clocks, medians
 * and percentiles, the result rows run.sh turns into one table, and the
 * deterministic synthetic data (gen.c).
 *
 * Every figure is printed next to a floor measured in the same run (the
 * machine is shared and noisy; the ratio is what counts):
 *
 *   ROW <TAB> figure <TAB> value <TAB> unit <TAB> floor <TAB> floor-name <TAB> ratio <TAB> reps
 *
 * value and floor are medians over the repetitions; ratio is the median of
 * the per-repetition ratios (each pair measured back to back).  Lines that
 * do not start with ROW are progress notes (stderr). */
#ifndef XIAOAN_BENCH_H
#define XIAOAN_BENCH_H

#include "../tests/unit/helpers/central_fx.h"

#include "xiaoan/error.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/forms.h"
#include "xiaoan/identity.h"
#include "xiaoan/roster.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* ---- clocks and statistics (util.c) ---- */

double b_wall(void);       /* CLOCK_MONOTONIC, seconds */
double b_cpu(void);        /* this process's user + system CPU, seconds */
double b_children_cpu(void); /* user + system CPU of the waited-for children, seconds */
double b_median(const double *v, size_t n);
double b_pct(const double *v, size_t n, double p); /* nearest-rank percentile, p in 0..100 */

/* Print one result row (see above): v, f are per-repetition values. */
void b_row(const char *figure, const char *unit, const double *v, const double *f, size_t reps,
           const char *floor_name);
/* A row whose floor is a constant (bytes of the raw data, a count). */
void b_row1(const char *figure, const char *unit, double value, double floor,
            const char *floor_name, size_t reps);
/* Progress to stderr. */
void b_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Abort with a message (the benches have no error recovery). */
void b_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Abort on a failed xa_code. */
void b_check(xa_code code, const xa_err *err, const char *what);

/* Integer environment setting with a default (BENCH_SCALE, BENCH_REPS, ...). */
long b_env(const char *name, long def);
/* A fresh empty folder under base (created); a new string. */
char *b_tmpdir(const char *base, const char *name);
/* rm -rf path. */
void b_rmrf(const char *path);
/* Copy a file. */
void b_copy(const char *from, const char *to);
/* Write a whole file. */
void b_write(const char *path, const void *data, size_t len);
/* Size of a file in bytes. */
long long b_fsize(const char *path);
/* Run a shell command; abort when it fails. */
void b_sh(const char *cmd);
/* Peak resident set of this process (VmHWM), bytes. */
long long b_peak_rss(void);

/* ---- deterministic synthetic data (gen.c) ---- */

typedef struct gen_rng {
    uint64_t s;
} gen_rng;

void gen_seed(gen_rng *r, uint64_t seed);
uint64_t gen_u64(gen_rng *r);               /* splitmix64 */
uint32_t gen_below(gen_rng *r, uint32_t n); /* 0..n-1 */
void gen_hex_id(gen_rng *r, char out[33]);  /* 32 lowercase hex digits */

/* A roster CSV of n schools (Chinese names, counties of 丽水, pinyin
 * initials; codes unique).  New string, *len its length. */
char *gen_roster_csv(uint64_t seed, size_t n, size_t *len);

/* A checklist folder at dir: index.csv with one form `id` of nitems
 * items (sections of 25, checks with some count and text items). */
void gen_form_dir(const char *dir, uint64_t seed, const char *id, size_t nitems);

/* The data a visit generator draws on. */
typedef struct gen_world {
    gen_rng rng;
    xa_roster *roster;
    xa_form_set *forms; /* the real checklists of forms/ */
    int64_t t;          /* the clock of the synthetic inspections (advances) */
} gen_world;

/* Roster of nschools generated with seed, forms from forms_dir. */
void gen_world_init(gen_world *w, uint64_t seed, size_t nschools, const char *forms_dir);
void gen_world_free(gen_world *w);

/* The school a visit goes to next (a random one). */
const xa_school *gen_pick_school(gen_world *w);

/* Fill a draft (as xa_visit_new / xa_fstore_visit_new made it) with a
 * visit's content: arrival time, team, forms until 60 answers, about 60
 * answers, 0..5 hazards (3 on average), and a follow-up of each id in
 * followup_ids.  The hazard ids it adds are appended to new_hazards (an
 * array of strings; may be NULL).  Ids are drawn from the seeded PRNG, so
 * the content of a run is the same every time. */
void gen_fill_visit(gen_world *w, json_t *doc, const json_t *followup_ids, json_t *new_hazards);

/* A sealed bundle record of the inspector's next visit at a random school
 * (fx_visit + gen_fill_visit + fx_seal; the visit id from the PRNG). */
json_t *gen_sealed_record(gen_world *w, fx_inspector *in, const json_t *followup_ids,
                          json_t *new_hazards);

/* Store a brief in a field store: settings naming office, the schools of
 * r and the forms of fs (either may be NULL); pins the office. */
void gen_put_brief(xa_fstore *s, const xa_identity *office, const xa_roster *r,
                   const xa_form_set *fs);

/* A new field store at home (inspector 张三, passphrase pass, the interactive
 * KDF) holding gen_put_brief's brief of r and fs from a fresh office; open.
 * The office's identity goes to *office_out (NULL: freed). */
xa_fstore *gen_field_store(const char *home, const char *pass, const xa_roster *r,
                           const xa_form_set *fs, xa_identity **office_out);

/* The same, closed, with a brief of nschools schools of
 * gen_roster_csv(roster_seed) and the checklists already in formdir. */
void gen_field_home(const char *home, const char *pass, const char *formdir,
                    uint64_t roster_seed, size_t nschools);

#endif
