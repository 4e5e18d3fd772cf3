/* attach.c — attaching photos and PDFs to a draft visit (field.h): what a
 * file is by its first bytes (JPEG, PNG, HEIC, PDF — never by its name), the
 * limits the office sets in the brief, EXIF facts (libexif: DateTimeOriginal
 * and GPS), and the one streaming pass that hashes (BLAKE2b-256), reads the
 * EXIF block and hands the bytes to the field store's encrypted writer, so a
 * file is in memory one chunk at a time.  The document's entry and the
 * stored bytes are saved in one transaction. */
#include "xiaoan/field.h"
#include "xiaoan/i18n.h"

#include "xiaoan/clock.h"
#include "xiaoan/ids.h"
#include "xiaoan/mem.h"
#include "xiaoan/utf8.h"
#include "xiaoan/vocab.h"

#include <errno.h>
#include <fcntl.h>
#include <libexif/exif-data.h>
#include <libexif/exif-loader.h>
#include <libexif/exif-utils.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_MAX_BYTES 255

/* ---- type by content ---- */

/* The type of a file by its magic bytes. */
const char *xa_attach_sniff(const uint8_t *p, size_t n)
{
    static const uint8_t png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return "jpeg";
    if (n >= 8 && !memcmp(p, png, 8))
        return "png";
    if (n >= 5 && !memcmp(p, "%PDF-", 5))
        return "pdf";
    /* ISO base media: size, "ftyp", a HEIF brand. */
    if (n >= 12 && !memcmp(p + 4, "ftyp", 4)) {
        static const char *const brands[] = {"heic", "heix", "hevc", "hevx", "heim",
                                             "heis", "mif1", "msf1", NULL};
        for (int i = 0; brands[i]; i++)
            if (!memcmp(p + 8, brands[i], 4))
                return "heic";
    }
    return NULL;
}

/* ---- limits ---- */

/* The brief's limits, else the settings table's defaults. */
void xa_attach_limits_of(const json_t *records, xa_attach_limits *out)
{
    out->file_max = xa_setting_default_int(XA_SET_ATTACH_FILE_MB) << 20;
    out->visit_max = xa_setting_default_int(XA_SET_ATTACH_VISIT_MB) << 20;
    const json_t *set = json_array_get(records, 0);
    const char *type = json_string_value(json_object_get(set, "type"));
    if (!type || strcmp(type, "settings"))
        return;
    const json_t *a = json_object_get(set, "attachments");
    json_t *f = json_object_get(a, "file_max"), *v = json_object_get(a, "visit_max");
    if (json_is_integer(f) && json_integer_value(f) > 0)
        out->file_max = json_integer_value(f);
    if (json_is_integer(v) && json_integer_value(v) > 0)
        out->visit_max = json_integer_value(v);
}

/* ---- EXIF ---- */

struct xa_exif_reader {
    ExifLoader *loader;
    int done;
};

/* A new incremental reader. */
xa_exif_reader *xa_exif_new(void)
{
    xa_exif_reader *r = xa_calloc(1, sizeof *r);
    r->loader = exif_loader_new();
    if (!r->loader)
        r->done = 1;
    return r;
}

/* Feed bytes; 0 when the reader needs no more. */
int xa_exif_feed(xa_exif_reader *r, const uint8_t *p, size_t n)
{
    if (r->done)
        return 0;
    /* libexif takes unsigned int sizes; the caller feeds chunks. */
    if (!exif_loader_write(r->loader, (unsigned char *)p, (unsigned int)n))
        r->done = 1;
    return !r->done;
}

/* Degrees, minutes, seconds (three rationals) as 10^-7 degree; -1 if unusable. */
static int64_t gps_coord(ExifEntry *e, ExifByteOrder bo)
{
    if (!e || e->format != EXIF_FORMAT_RATIONAL || e->components < 3 || e->size < 24)
        return -1;
    int64_t v = 0;
    static const int64_t div[3] = {1, 60, 3600}; /* degrees, minutes, seconds */
    for (int i = 0; i < 3; i++) {
        ExifRational r = exif_get_rational(e->data + 8 * i, bo);
        if (!r.denominator)
            return -1;
        int64_t d = (int64_t)r.denominator * div[i]; /* rounded to the nearest 10^-7 */
        v += ((int64_t)r.numerator * 10000000 + d / 2) / d;
    }
    return v;
}

/* The first byte of a GPS reference (N/S/E/W), 0 if none. */
static char gps_ref(ExifContent *gps, ExifTag tag)
{
    ExifEntry *e = exif_content_get_entry(gps, tag);
    return e && e->size >= 1 && e->data ? (char)e->data[0] : 0;
}

/* Take the facts (DateTimeOriginal, GPS) from what was fed. */
void xa_exif_facts_get(xa_exif_reader *r, xa_exif_facts *out)
{
    memset(out, 0, sizeof *out);
    if (!r->loader)
        return;
    ExifData *ed = exif_loader_get_data(r->loader);
    if (!ed)
        return;
    ExifByteOrder bo = exif_data_get_byte_order(ed);
    ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL);
    if (e && e->format == EXIF_FORMAT_ASCII && e->size >= 19 && e->data) {
        /* "YYYY:MM:DD HH:MM:SS" → "YYYY-MM-DDTHH:MM:SS", checked digit by digit. */
        char t[20];
        memcpy(t, e->data, 19);
        t[19] = '\0';
        static const char shape[] = "dddd:dd:dd dd:dd:dd";
        int ok = 1;
        for (int i = 0; i < 19; i++)
            if (shape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != shape[i])
                ok = 0;
        if (ok) {
            t[4] = t[7] = '-';
            t[10] = 'T';
            char probe[40];
            int64_t when;
            int off;
            snprintf(probe, sizeof probe, "%s+08:00", t);
            if (xa_time_parse(probe, &when, &off, NULL) == XA_OK)
                memcpy(out->taken, t, 20);
        }
    }
    ExifContent *gps = ed->ifd[EXIF_IFD_GPS];
    if (gps) {
        int64_t lat = gps_coord(exif_content_get_entry(gps, EXIF_TAG_GPS_LATITUDE), bo);
        int64_t lon = gps_coord(exif_content_get_entry(gps, EXIF_TAG_GPS_LONGITUDE), bo);
        char la = gps_ref(gps, EXIF_TAG_GPS_LATITUDE_REF);
        char lo = gps_ref(gps, EXIF_TAG_GPS_LONGITUDE_REF);
        if (lat >= 0 && lon >= 0 && lat <= 900000000 && lon <= 1800000000 &&
            (la == 'N' || la == 'S') && (lo == 'E' || lo == 'W')) {
            out->has_gps = 1;
            out->lat = la == 'S' ? -lat : lat;
            out->lon = lo == 'W' ? -lon : lon;
        }
    }
    exif_data_unref(ed);
}

/* Free a reader (NULL is fine). */
void xa_exif_free(xa_exif_reader *r)
{
    if (!r)
        return;
    if (r->loader)
        exif_loader_unref(r->loader);
    free(r);
}

/* The EXIF facts of a file, reading only as far as its EXIF block. */
xa_code xa_exif_of_file(const char *path, xa_exif_facts *out, xa_err *err)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return xa_fail_errno(err, XA_EIO, "cannot open %s", path);
    xa_exif_reader *r = xa_exif_new();
    uint8_t buf[16384];
    ssize_t got;
    int first = 1;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        if (first && (size_t)got >= 3 && !(buf[0] == 0xff && buf[1] == 0xd8))
            break; /* not a JPEG: no EXIF read */
        first = 0;
        if (!xa_exif_feed(r, buf, (size_t)got))
            break;
    }
    close(fd);
    if (!first)
        xa_exif_facts_get(r, out);
    xa_exif_free(r);
    return XA_OK;
}

/* ---- attaching ---- */

/* The n-th (1-based) hazard or follow-up of doc: its id, or NULL. */
static const char *target_ref(const json_t *doc, xa_attach_for target, size_t n)
{
    const char *arr = target == XA_ATTACH_HAZARD ? "hazards" : "followups";
    const char *key = target == XA_ATTACH_HAZARD ? "id" : "hazard";
    if (n < 1)
        return NULL;
    return json_string_value(json_object_get(json_array_get(json_object_get(doc, arr), n - 1), key));
}

/* The bytes doc's attachments already take. */
static int64_t doc_total(const json_t *doc)
{
    int64_t t = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "attachments"), i, e)
        t += json_integer_value(json_object_get(e, "size"));
    return t;
}

/* The last path component, as valid UTF-8 without controls, at most 255 bytes. */
static char *display_name(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b && b[1] ? b + 1 : path;
    size_t len = strlen(b);
    if (len > NAME_MAX_BYTES) {
        len = NAME_MAX_BYTES;
        while (len && ((unsigned char)b[len] & 0xc0) == 0x80)
            len--; /* not in the middle of a character */
    }
    char *s = xa_utf8_sanitize(b, len, 0);
    if (!*s) {
        free(s);
        s = xa_strdup("file");
    }
    return s;
}

/* Read exactly into buf what read() gives, retrying on EINTR. */
static ssize_t read_some(int fd, uint8_t *buf, size_t n)
{
    ssize_t r;
    do
        r = read(fd, buf, n);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Attach a file to a draft. */
xa_code xa_attach_file(xa_fstore *s, json_t *doc, int64_t *revision, xa_attach_for target,
                       size_t n, const char *path, const xa_attach_limits *lim, json_t **entry,
                       xa_err *err)
{
    if (entry)
        *entry = NULL;
    const char *visit = json_string_value(json_object_get(doc, "id"));
    if (!visit || xa_visit_is_sealed(doc))
        return xa_fail(err, XA_ESTATE, "attachments can only be added to a draft visit");
    const char *ref = NULL;
    if (target != XA_ATTACH_VISIT && !(ref = target_ref(doc, target, n)))
        return xa_fail(err, XA_ENOTFOUND, "the visit has no %s %zu",
                       target == XA_ATTACH_HAZARD ? _("hazard") : _("follow-up"), n);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return xa_fail_errno(err, XA_EIO, "cannot open %s", path);
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return xa_fail(err, XA_EUSAGE, "%s is not a regular file", path);
    }
    if (sb.st_size > lim->file_max) {
        close(fd);
        return xa_fail(err, XA_ELIMIT, "%s is %lld MB, over the limit of %lld MB a file", path,
                       (long long)((sb.st_size + (1 << 20) - 1) >> 20),
                       (long long)(lim->file_max >> 20));
    }
    int64_t used = doc_total(doc);
    if (used + sb.st_size > lim->visit_max) {
        close(fd);
        return xa_fail(err, XA_ELIMIT,
                       "%s would bring the visit's attachments to %lld MB, over the limit of "
                       "%lld MB a visit",
                       path, (long long)((used + sb.st_size + (1 << 20) - 1) >> 20),
                       (long long)(lim->visit_max >> 20));
    }
    uint8_t *buf = xa_malloc(XA_ATTACH_CHUNK);
    ssize_t got = read_some(fd, buf, XA_ATTACH_CHUNK);
    xa_code c = XA_OK;
    xa_fattach_writer *w = NULL;
    xa_exif_reader *ex = NULL;
    json_t *e = NULL;
    const char *type = got > 0 ? xa_attach_sniff(buf, (size_t)got) : NULL;
    if (got < 0) {
        c = xa_fail_errno(err, XA_EIO, "reading %s", path);
        goto done;
    }
    if (!type) {
        c = xa_fail(err, XA_EFORMAT,
                    "%s is not a JPEG, PNG, HEIC or PDF file (by its content; the name does "
                    "not count)",
                    path);
        goto done;
    }
    char id[XA_ID_HEX];
    xa_random_id(id);
    if ((c = xa_fstore_attach_begin(s, visit, id, &w, err)) != XA_OK)
        goto done;
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, NULL, 0, XA_HASH_BYTES);
    if (!strcmp(type, "jpeg"))
        ex = xa_exif_new();
    int64_t total = 0;
    int feeding = ex != NULL;
    while (got > 0) {
        total += got;
        if (total > lim->file_max) {
            c = xa_fail(err, XA_ELIMIT, "%s grew over the limit of %lld MB a file while read",
                        path, (long long)(lim->file_max >> 20));
            goto done;
        }
        crypto_generichash_update(&hs, buf, (unsigned long long)got);
        if (feeding)
            feeding = xa_exif_feed(ex, buf, (size_t)got);
        if ((c = xa_fstore_attach_write(w, buf, (size_t)got, err)) != XA_OK)
            goto done;
        got = read_some(fd, buf, XA_ATTACH_CHUNK);
    }
    if (got < 0) {
        c = xa_fail_errno(err, XA_EIO, "reading %s", path);
        goto done;
    }
    if (used + total > lim->visit_max) {
        c = xa_fail(err, XA_ELIMIT, "%s grew over the limit of %lld MB a visit while read", path,
                    (long long)(lim->visit_max >> 20));
        goto done;
    }
    uint8_t h[XA_HASH_BYTES];
    char hex[XA_HASH_HEX], now[XA_RFC3339_MAX];
    crypto_generichash_final(&hs, h, sizeof h);
    xa_hex_encode(h, sizeof h, hex);
    xa_time_format(xa_now(), XA_CST_OFFSET, now);
    xa_exif_facts fx;
    memset(&fx, 0, sizeof fx);
    if (ex)
        xa_exif_facts_get(ex, &fx);
    static const char *const fors[] = {"visit", "hazard", "followup"};
    char *name = display_name(path);
    e = json_object();
    json_object_set_new(e, "id", json_string(id));
    json_object_set_new(e, "for", json_string(fors[target]));
    json_object_set_new(e, "ref", ref ? json_string(ref) : json_null());
    json_object_set_new(e, "name", json_string(name));
    json_object_set_new(e, "type", json_string(type));
    json_object_set_new(e, "size", json_integer((json_int_t)total));
    json_object_set_new(e, "hash", json_string(hex));
    json_object_set_new(e, "taken", fx.taken[0] ? json_string(fx.taken) : json_null());
    json_object_set_new(e, "gps", fx.has_gps ? json_pack("{s:I, s:I}", "lat", (json_int_t)fx.lat,
                                                         "lon", (json_int_t)fx.lon)
                                             : json_null());
    json_object_set_new(e, "added", json_string(now));
    free(name);
    json_t *arr = json_object_get(doc, "attachments");
    json_array_append(arr, e);
    c = xa_fstore_attach_finish(w, doc, revision, err);
    w = NULL;
    if (c != XA_OK) {
        json_array_remove(arr, json_array_size(arr) - 1);
        goto done;
    }
    if (entry)
        *entry = e;
done:
    xa_fstore_attach_abort(w);
    xa_exif_free(ex);
    json_decref(e);
    sodium_memzero(buf, XA_ATTACH_CHUNK);
    free(buf);
    close(fd);
    return c;
}

/* Remove an attachment from a draft. */
xa_code xa_attach_remove(xa_fstore *s, json_t *doc, int64_t *revision, const char *id_or_n,
                         xa_err *err)
{
    if (xa_visit_is_sealed(doc))
        return xa_fail(err, XA_ESTATE, "the visit is sealed: its attachments cannot change");
    json_t *arr = json_object_get(doc, "attachments");
    size_t idx = (size_t)-1, i;
    json_t *e;
    char *end;
    unsigned long long k = strtoull(id_or_n, &end, 10);
    if (*id_or_n >= '0' && *id_or_n <= '9' && !*end && strlen(id_or_n) < 10) {
        if (k >= 1 && k <= json_array_size(arr))
            idx = (size_t)k - 1;
    } else {
        json_array_foreach(arr, i, e)
            if (!strcmp(xa_doc_str(e, "id"), id_or_n))
                idx = i;
    }
    if (idx == (size_t)-1)
        return xa_fail(err, XA_ENOTFOUND, "the visit has no attachment '%.40s'", id_or_n);
    json_t *saved = json_deep_copy(arr);
    json_array_remove(arr, idx);
    xa_code c = xa_fstore_visit_save(s, doc, revision, err);
    if (c != XA_OK)
        json_object_set(doc, "attachments", saved);
    json_decref(saved);
    return c;
}

/* How many attachments belong to (for_, ref). */
size_t xa_attach_count(const json_t *doc, const char *for_, const char *ref)
{
    size_t n = 0, i;
    json_t *e;
    json_array_foreach(json_object_get(doc, "attachments"), i, e)
    {
        if (strcmp(xa_doc_str(e, "for"), for_))
            continue;
        if (ref ? !strcmp(xa_doc_str(e, "ref"), ref) : json_is_null(json_object_get(e, "ref")))
            n++;
    }
    return n;
}
