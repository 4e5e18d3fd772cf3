/* saver.c — the crash-test driver ($BUILD/tests/crash_saver), linked with
 * libxiaoan.  tests/crash/crash.bash runs it, kills it with SIGKILL at a
 * random moment and then asks it (and sqlite3, and `xiaoan visits --json`)
 * whether everything it had acknowledged is still there.
 *
 *   crash_saver init HOME PASSFILE
 *       a new field store (interactive KDF) with one draft; prints its id.
 *   crash_saver save HOME PASSFILE ID
 *       saves revisions of draft ID for ever: save k puts the note of
 *       answer "K" to note(k) and is acknowledged on stdout as "saved k"
 *       (flushed after the commit returned); then it journals three
 *       answers (the TUI's answer keys, xa_fstore_visit_journal): answer
 *       "J" with the note "k=k;j=j", acknowledged as "saved k.j" (j = 1..3).
 *       Every 8th save it also starts a new visit and seals it ("sealed ID
 *       SEQ").  k continues from what the store holds, so runs can follow
 *       each other on one store.
 *   crash_saver check HOME PASSFILE ID K[.J] [SID SEQ]
 *       reopens the store; passes (exit 0, "found k.j rev r sealed n") when
 *       draft ID decrypts, holds note(k') and journal step j' at rev k'+1
 *       where (k', j') is (K, J) or the one step after it (that may have
 *       committed without being acknowledged: (K, J+1), or (K+1, 0) after
 *       J = 3), visit SID is sealed with SEQ, and the seal chain is whole:
 *       seqs 1..n, each prev the hash of the one before, every signature
 *       good.
 *   crash_saver diskfull HOME PASSFILE FILLER|fsize:N
 *       HOME is on a small file system (tmpfs) and FILLER a file on it, or
 *       fsize:N runs under RLIMIT_FSIZE = the store's files + N bytes (with
 *       SIGXFSZ ignored): makes a store and a draft, fills the rest of the
 *       disk with FILLER (less 96 KiB, so that some saves still fit), saves a
 *       growing draft until a save fails, then checks: the failure is
 *       XA_ENOSPC with one clear line, the draft is still the last saved
 *       revision, sealing fails the same way and leaves it a draft, the
 *       process carries on; after FILLER is removed the same save and the
 *       seal succeed, and a fresh open sees them.  Prints "ok …" or "FAIL …".
 *   crash_saver dump HOME PASSFILE
 *       the notes of every draft as JSON lines {"id","rev","notes":[…]}
 *       (for the TUI variant).
 *
 * Exit status: 0 pass, 1 check failed, 2 usage or setup error. */
#include "xiaoan/error.h"
#include "xiaoan/fieldstore.h"
#include "xiaoan/identity.h"
#include "xiaoan/json.h"
#include "xiaoan/mem.h"
#include "xiaoan/visit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define SEAL_EVERY 8
#define JOURNAL_EVERY 3 /* answers journaled after each whole save */

static const char *home;
static char pass[256];

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL ");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
    return 1;
}

static void die(const char *what, const xa_err *e)
{
    fprintf(stderr, "crash_saver: %s: %s\n", what, xa_err_msg(e));
    exit(2);
}

static void read_pass(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f || !fgets(pass, sizeof pass, f)) {
        fprintf(stderr, "crash_saver: cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    pass[strcspn(pass, "\r\n")] = '\0';
}

static xa_fstore *open_store(void)
{
    xa_fstore *s = NULL;
    xa_err e;
    if (xa_fstore_open(home, pass, &s, &e) != XA_OK)
        die("open", &e);
    return s;
}

/* The note of save k: "k=K;" then filler whose length varies with k, so
 * that the rows change size and pages split and merge. */
static char *note_of(long k)
{
    size_t n = (size_t)(k * 7919 % 6000);
    xa_buf b = XA_BUF_INIT;
    xa_buf_printf(&b, "k=%ld;", k);
    for (size_t i = 0; i < n; i++)
        xa_buf_putc(&b, (char)('a' + (k + (long)i) % 26));
    return xa_buf_steal(&b);
}

/* The k a document holds (0 for a fresh draft, -1 when malformed). */
static long k_of(const json_t *doc)
{
    json_t *a = json_object_get(doc, "answers");
    if (json_array_size(a) == 0)
        return 0;
    const char *note = json_string_value(json_object_get(json_array_get(a, 0), "note"));
    long k;
    if (!note || sscanf(note, "k=%ld;", &k) != 1)
        return -1;
    return k;
}

/* The journal step j a document holds after its save (0: none). */
static long j_of(const json_t *doc, long k)
{
    json_t *a = json_object_get(doc, "answers"), *m;
    size_t i;
    json_array_foreach(a, i, m)
    {
        if (strcmp(json_string_value(json_object_get(m, "code")), "J"))
            continue;
        long kk, j;
        const char *note = json_string_value(json_object_get(m, "note"));
        if (!note || sscanf(note, "k=%ld;j=%ld", &kk, &j) != 2 || kk != k)
            return -1;
        return j;
    }
    return 0;
}

static const xa_visit_init visit_init = {"331102000101", "莲都区实验小学", "莲都区",
                                         "four-not-two-direct", NULL, 0, 1, 1, 1, 1,
                                         "2026-11-29T09:30:00+08:00", NULL, NULL};

/* ---- init ---- */

static int cmd_init(void)
{
    xa_fstore *s = NULL;
    xa_err e;
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    if (xa_fstore_create(home, "崩溃测试", pass, &kdf, &s, &e) != XA_OK)
        die("create", &e);
    json_t *doc = NULL;
    if (xa_fstore_visit_new(s, &visit_init, &doc, &e) != XA_OK)
        die("new visit", &e);
    printf("%s\n", json_string_value(json_object_get(doc, "id")));
    json_decref(doc);
    xa_fstore_close(s);
    return 0;
}

/* ---- save ---- */

static int cmd_save(const char *id)
{
    xa_fstore *s = open_store();
    xa_err e;
    json_t *doc = NULL;
    xa_visit_info info;
    if (xa_fstore_visit_load(s, id, &doc, &info, &e) != XA_OK)
        die("load", &e);
    long k = k_of(doc);
    /* (the stored rev no longer follows k: every journal entry is a revision too, and
     * a crash may leave any number of them; issue 11 #5) */
    if (k < 0 || info.rev < k + 1) {
        fprintf(stderr, "crash_saver: visit %s holds k %ld at rev %lld\n", id, k,
                (long long)info.rev);
        return 2;
    }
    int64_t rev = info.revision;
    xa_visit_info_clear(&info);
    printf("start %ld\n", k);
    fflush(stdout);
    for (;;) {
        k++;
        char *note = note_of(k);
        json_t *ans = xa_visit_answer_new("crash", "K", "hazard");
        json_object_set_new(ans, "note", json_string(note));
        json_object_set_new(doc, "answers", json_pack("[o]", ans));
        free(note);
        if (xa_fstore_visit_save(s, doc, &rev, &e) != XA_OK)
            die("save", &e);
        printf("saved %ld\n", k);
        fflush(stdout);
        for (long j = 1; j <= JOURNAL_EVERY; j++) {
            char jn[64];
            snprintf(jn, sizeof jn, "k=%ld;j=%ld", k, j);
            json_t *ja = xa_visit_answer_new("crash", "J", "pass");
            json_object_set_new(ja, "note", json_string(jn));
            json_t *answers = json_object_get(doc, "answers");
            if (json_array_size(answers) > 1)
                json_array_set_new(answers, 1, ja);
            else
                json_array_append_new(answers, ja);
            json_t *change = json_pack("{s:[O], s:O}", "answers", json_array_get(answers, 1),
                                       "times", json_object_get(doc, "times"));
            if (xa_fstore_visit_journal(s, id, &rev, change, &e) != XA_OK)
                die("journal", &e);
            json_decref(change);
            printf("saved %ld.%ld\n", k, j);
            fflush(stdout);
        }
        if (k % SEAL_EVERY == 0) {
            json_t *v = NULL, *sealed = NULL;
            if (xa_fstore_visit_new(s, &visit_init, &v, &e) != XA_OK)
                die("new visit", &e);
            const char *vid = json_string_value(json_object_get(v, "id"));
            if (xa_fstore_visit_seal(s, vid, &sealed, &e) != XA_OK)
                die("seal", &e);
            printf("sealed %s %lld\n", vid,
                   (long long)json_integer_value(
                       json_object_get(json_object_get(sealed, "seal"), "seq")));
            fflush(stdout);
            json_decref(sealed);
            json_decref(v);
        }
    }
}

/* ---- check ---- */

/* Every sealed visit: seqs 1..n, prev links, signatures.  *n = the last seq. */
static int check_chain(xa_fstore *s, int64_t *n)
{
    xa_visit_list l;
    xa_err e;
    if (xa_fstore_visit_list(s, &l, &e) != XA_OK)
        die("list", &e);
    int64_t max = 0, count = 0;
    for (size_t i = 0; i < l.n; i++)
        if (l.v[i].state != XA_VISIT_DRAFT) {
            count++;
            if (l.v[i].seq > max)
                max = l.v[i].seq;
        }
    int rc = 0;
    if (count != max)
        rc = fail("%lld sealed visits for seqs 1..%lld: a seq is missing or doubled",
                  (long long)count, (long long)max);
    /* Walk them in seq order. */
    const xa_identity *me = xa_fstore_identity(s);
    char prev[XA_HASH_HEX] = "";
    for (int64_t q = 1; q <= max && rc == 0; q++) {
        size_t i;
        for (i = 0; i < l.n; i++)
            if (l.v[i].state != XA_VISIT_DRAFT && l.v[i].seq == q)
                break;
        if (i == l.n) {
            rc = fail("seal seq %lld is missing", (long long)q);
            break;
        }
        xa_sealed_visit sv;
        if (xa_fstore_visit_sealed(s, l.v[i].id, &sv, &e) != XA_OK) {
            rc = fail("sealed visit %s: %s", l.v[i].id, xa_err_msg(&e));
            break;
        }
        xa_visit_verified vv;
        if (xa_visit_verify_doc(sv.doc, sv.sig, me->sign_pk, &vv, &e) != XA_OK)
            rc = fail("sealed visit %s does not verify: %s", l.v[i].id, xa_err_msg(&e));
        else if (vv.seq != q || (q == 1 ? vv.has_prev : strcmp(vv.prev, prev) != 0))
            rc = fail("sealed visit %s breaks the chain", l.v[i].id);
        snprintf(prev, sizeof prev, "%s", vv.hash);
        json_decref(sv.doc);
    }
    int64_t last_seq = 0;
    char last_hash[XA_HASH_HEX];
    if (rc == 0 && xa_fstore_chain(s, &last_seq, last_hash, &e) != XA_OK)
        die("chain", &e);
    if (rc == 0 && (last_seq != max || (max && strcmp(last_hash, prev) != 0)))
        rc = fail("the chain state does not match the last sealed visit");
    xa_visit_list_clear(&l);
    *n = max;
    return rc;
}

static int cmd_check(const char *id, long kack, long jack, const char *sid, long seq)
{
    xa_fstore *s = open_store();
    xa_err e;
    json_t *doc = NULL;
    xa_visit_info info;
    if (xa_fstore_visit_load(s, id, &doc, &info, &e) != XA_OK) {
        int rc = fail("draft %s does not load: %s", id, xa_err_msg(&e));
        xa_fstore_close(s);
        return rc;
    }
    long k = k_of(doc), j = k >= 0 ? j_of(doc, k) : -1;
    /* steps in order: (k, 0) the whole save, (k, 1..3) the journal */
    long step = k * (JOURNAL_EVERY + 1) + j, ack = kack * (JOURNAL_EVERY + 1) + jack;
    int rc = 0;
    if (info.state != XA_VISIT_DRAFT)
        rc = fail("draft %s is no longer a draft", id);
    else if (k < 0 || j < 0)
        rc = fail("draft %s holds a malformed note", id);
    else if (step < ack)
        rc = fail("lost a save: the store holds %ld.%ld, %ld.%ld was acknowledged", k, j, kack,
                  jack);
    else if (step > ack + 1)
        rc = fail("the store holds %ld.%ld, more than one step after the acknowledged %ld.%ld",
                  k, j, kack, jack);
    /* every write is one revision (issue 11 #5): saves 1..k and the j journal entries on
     * top were written, a crash may have skipped the rest of an earlier round's journal */
    else if (info.journal != (size_t)j || info.revision < k + j + 1 || info.revision > step + 1)
        rc = fail("%ld.%ld at revision %lld (rev %lld, %zu journal entries)", k, j,
                  (long long)info.revision, (long long)info.rev, info.journal);
    else if (k > 0) {
        char *want = note_of(k);
        const char *got = json_string_value(
            json_object_get(json_array_get(json_object_get(doc, "answers"), 0), "note"));
        if (!got || strcmp(got, want) != 0)
            rc = fail("the note of save %ld is not what was saved", k);
        free(want);
    }
    int64_t rev = info.rev; /* the stored column, as xiaoan visits --json lists it */
    xa_visit_info_clear(&info);
    json_decref(doc);
    if (rc == 0 && sid) {
        xa_visit_info si;
        json_t *sd = NULL;
        if (xa_fstore_visit_load(s, sid, &sd, &si, &e) != XA_OK)
            rc = fail("acknowledged sealed visit %s is gone: %s", sid, xa_err_msg(&e));
        else if (si.state == XA_VISIT_DRAFT || si.seq != seq)
            rc = fail("acknowledged sealed visit %s is not sealed with seq %ld", sid, seq);
        if (sd) {
            xa_visit_info_clear(&si);
            json_decref(sd);
        }
    }
    int64_t n = 0;
    if (rc == 0)
        rc = check_chain(s, &n);
    if (rc == 0) {
        printf("found %ld.%ld rev %lld sealed %lld\n", k, j, (long long)rev, (long long)n);
        fflush(stdout);
    }
    xa_fstore_close(s);
    return rc;
}

/* ---- disk full ---- */

/* Fill the file system of path until a write fails, then give back `slack`
 * bytes (so that a few saves still fit); returns the bytes kept. */
static long long fill(const char *path, long long slack)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    static char block[4096];
    long long total = 0;
    for (size_t sz = sizeof block; sz >= 1; sz /= 2) /* to the last byte */
        for (;;) {
            ssize_t w = write(fd, block, sz);
            if (w <= 0)
                break;
            total += w;
        }
    total = total > slack ? total - slack : 0;
    if (ftruncate(fd, total) != 0)
        total = -1;
    fsync(fd);
    close(fd);
    return total;
}

static long long file_size(const char *name)
{
    char *p = xa_asprintf("%s/%s", home, name);
    FILE *f = fopen(p, "rb");
    free(p);
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long long n = ftell(f);
    fclose(f);
    return n;
}

/* Is it XA_ENOSPC with one line that says the disk is full?  (Under
 * RLIMIT_FSIZE SQLite reports EFBIG as SQLITE_IOERR_WRITE, not SQLITE_FULL;
 * the store maps that to "disk full" too since 2921d3e.) */
static int clear_enospc(xa_code c, const xa_err *e)
{
    const char *m = xa_err_msg(e);
    return c == XA_ENOSPC && !strchr(m, '\n') && strstr(m, "disk full") != NULL;
}

/* Does the store hold visit id as state with exactly the body of want
 * (seal aside)? */
static int holds(xa_fstore *s, const char *id, const json_t *want, xa_visit_state state,
                 const char *when)
{
    json_t *got = NULL;
    xa_visit_info info;
    xa_err e;
    if (xa_fstore_visit_load(s, id, &got, &info, &e) != XA_OK)
        return fail("%s the visit does not load: %s", when, xa_err_msg(&e));
    json_t *body = json_deep_copy(got);
    json_object_set_new(body, "seal", json_null());
    xa_buf a = XA_BUF_INIT, b = XA_BUF_INIT;
    xa_json_canonical(body, &a, NULL);
    xa_json_canonical(want, &b, NULL);
    int rc = 0;
    if (info.state != state)
        rc = fail("%s the visit is %s, not %s", when, xa_visit_state_name(info.state),
                  xa_visit_state_name(state));
    else if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
        rc = fail("%s the visit is not the last saved revision", when);
    xa_buf_clear(&a);
    xa_buf_clear(&b);
    json_decref(body);
    json_decref(got);
    xa_visit_info_clear(&info);
    return rc;
}

/* where: a FILLER path on the same small file system, or "fsize:N" to
 * run under RLIMIT_FSIZE = the store's files + N bytes. */
static int cmd_diskfull(const char *where)
{
    signal(SIGXFSZ, SIG_IGN); /* under RLIMIT_FSIZE: EFBIG instead of death */
    const char *filler = strncmp(where, "fsize:", 6) ? where : NULL;
    xa_fstore *s = NULL;
    xa_err e;
    xa_kdf_params kdf = xa_kdf_params_of(XA_KDF_INTERACTIVE);
    if (xa_fstore_create(home, "磁盘已满", pass, &kdf, &s, &e) != XA_OK)
        die("create", &e);
    json_t *doc = NULL;
    if (xa_fstore_visit_new(s, &visit_init, &doc, &e) != XA_OK)
        die("new visit", &e);
    char id[XA_ID_HEX];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(doc, "id")));
    long long filled = 0;
    if (filler) {
        filled = fill(filler, 96 * 1024);
        if (filled < 0) {
            perror(filler);
            return 2;
        }
    } else {
        long long db = file_size("field.db"), wal = file_size("field.db-wal");
        struct rlimit rl = {(rlim_t)((db > wal ? db : wal) + atoll(where + 6)), RLIM_INFINITY};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0) {
            perror("setrlimit");
            return 2;
        }
    }

    /* Save a growing draft until the disk says no. */
    json_t *answers = json_object_get(doc, "answers");
    json_t *last = json_deep_copy(doc); /* the last saved revision */
    int64_t rev = 1;                    /* the new draft's */
    long long saved = 0;
    xa_code c = XA_OK;
    for (int i = 0; i < 10000; i++) {
        char code[32];
        snprintf(code, sizeof code, "F-%05d", i);
        char *note = note_of(i * 13 + 5999);
        json_t *a = xa_visit_answer_new("full", code, "pass");
        json_object_set_new(a, "note", json_string(note));
        json_array_append_new(answers, a);
        free(note);
        c = xa_fstore_visit_save(s, doc, &rev, &e);
        if (c != XA_OK)
            break;
        saved++;
        json_decref(last);
        last = json_deep_copy(doc);
    }
    printf("filled %lld bytes; %lld saves went in before the disk was full\n", filled, saved);
    printf("message: %s\n", xa_err_msg(&e));
    fflush(stdout);
    int rc = 0;
    if (!clear_enospc(c, &e))
        rc = fail("a full disk gave %s, not XA_ENOSPC 'disk full ...': %s", xa_code_str(c),
                  xa_err_msg(&e));

    /* Nothing lost, and the store still answers. */
    rc |= holds(s, id, last, XA_VISIT_DRAFT, "after the failed save");
    /* Still full: saving again and sealing fail the same way, changing nothing. */
    xa_code c2 = xa_fstore_visit_save(s, doc, &rev, &e);
    if (c2 == XA_OK) {
        printf("note: the second save fitted\n");
        json_decref(last);
        last = json_deep_copy(doc);
    } else if (!clear_enospc(c2, &e)) {
        rc = fail("saving again on a full disk: %s: %s", xa_code_str(c2), xa_err_msg(&e));
    }
    json_t *sealed = NULL;
    xa_code sc = xa_fstore_visit_seal(s, id, &sealed, &e);
    if (sc == XA_OK) {
        printf("note: the seal fitted into the full disk\n");
        json_decref(sealed);
        sealed = NULL;
    } else if (!clear_enospc(sc, &e)) {
        rc = fail("sealing on a full disk: %s: %s", xa_code_str(sc), xa_err_msg(&e));
    } else {
        rc |= holds(s, id, last, XA_VISIT_DRAFT, "after the failed seal");
    }

    /* Space comes back: the same save goes through, then the seal. */
    if (filler && unlink(filler) != 0)
        rc = fail("cannot remove %s: %s", filler, strerror(errno));
    if (!filler) {
        struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
        setrlimit(RLIMIT_FSIZE, &rl);
    }
    if (sc != XA_OK) {
        if ((c = xa_fstore_visit_save(s, doc, &rev, &e)) != XA_OK)
            rc = fail("with space back the save still fails: %s", xa_err_msg(&e));
        else if ((c = xa_fstore_visit_seal(s, id, &sealed, &e)) != XA_OK)
            rc = fail("with space back the seal fails: %s", xa_err_msg(&e));
        else {
            json_decref(last);
            last = json_deep_copy(doc);
        }
    }
    json_decref(sealed);
    xa_fstore_close(s);

    /* A fresh open sees it all. */
    s = open_store();
    rc |= holds(s, id, last, XA_VISIT_SEALED, "after reopening");
    xa_fstore_close(s);
    json_decref(last);
    json_decref(doc);
    if (rc == 0) {
        printf("ok: %lld saves, then disk full with a clear message, nothing lost; with space "
               "back saved and sealed\n",
               saved);
        fflush(stdout);
    }
    return rc;
}

/* ---- dump ---- */

static int cmd_dump(void)
{
    xa_fstore *s = open_store();
    xa_visit_list l;
    xa_err e;
    if (xa_fstore_visit_list(s, &l, &e) != XA_OK)
        die("list", &e);
    for (size_t i = 0; i < l.n; i++) {
        if (l.v[i].state != XA_VISIT_DRAFT)
            continue;
        json_t *doc = NULL;
        if (xa_fstore_visit_load(s, l.v[i].id, &doc, NULL, &e) != XA_OK)
            die("load", &e);
        json_t *notes = json_array();
        size_t j;
        json_t *a;
        json_array_foreach(json_object_get(doc, "answers"), j, a)
            json_array_append(notes, json_object_get(a, "note"));
        json_array_foreach(json_object_get(doc, "hazards"), j, a)
            json_array_append(notes, json_object_get(a, "description"));
        json_t *o = json_pack("{s:s, s:I, s:o}", "id", l.v[i].id, "rev",
                              (json_int_t)l.v[i].rev, "notes", notes);
        char *t = json_dumps(o, JSON_COMPACT);
        printf("%s\n", t);
        free(t);
        json_decref(o);
        json_decref(doc);
    }
    xa_visit_list_clear(&l);
    xa_fstore_close(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: crash_saver init|save|check|diskfull|dump HOME PASSFILE ...\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    home = argv[2];
    read_pass(argv[3]);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "init"))
        return cmd_init();
    if (!strcmp(cmd, "save") && argc == 5)
        return cmd_save(argv[4]);
    if (!strcmp(cmd, "check") && (argc == 6 || argc == 8))
    {
        long k = 0, j = 0;
        if (sscanf(argv[5], "%ld.%ld", &k, &j) < 1 || j < 0 || j > JOURNAL_EVERY) {
            fprintf(stderr, "crash_saver: '%s' is not K or K.J\n", argv[5]);
            return 2;
        }
        return cmd_check(argv[4], k, j, argc == 8 ? argv[6] : NULL, argc == 8 ? atol(argv[7]) : 0);
    }
    if (!strcmp(cmd, "diskfull") && argc == 5)
        return cmd_diskfull(argv[4]);
    if (!strcmp(cmd, "dump"))
        return cmd_dump();
    fprintf(stderr, "crash_saver: bad arguments\n");
    return 2;
}
