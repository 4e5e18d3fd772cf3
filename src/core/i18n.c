/* i18n.c — choosing the language and binding the gettext catalog (see
 * i18n.h).  glibc honours $LANGUAGE in any locale but C/POSIX, so a user
 * who asks for Chinese in the C locale gets C.UTF-8 for messages (and the
 * program's text stays UTF-8 either way). */
#include "xiaoan/i18n.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef XIAOAN_LOCALEDIR
#define XIAOAN_LOCALEDIR "/usr/local/share/locale"
#endif

static int lang_zh;
static int bound;

/* Does a catalog for zh_CN exist under dir? */
static int has_catalog(const char *dir)
{
    char path[4200];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/" XA_TEXTDOMAIN ".mo", dir);
    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0;
}

/* Where the catalog is: $XIAOAN_LOCALEDIR, beside the program, or installed. */
static const char *find_localedir(char *buf, size_t size)
{
    const char *env = getenv("XIAOAN_LOCALEDIR");
    if (env && *env)
        return env;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            /* build/xiaoan → build/locale; ./xiaoan (the copy in the tree) → build/locale;
             * a test program build/tests/test_X → build/locale */
            static const char *const rel[] = {"locale", "build/locale", "../locale", "../share/locale"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                int len = snprintf(buf, size, "%s/%s", exe, rel[i]);
                if (len > 0 && (size_t)len < size && has_catalog(buf))
                    return buf;
            }
        }
    }
    return XIAOAN_LOCALEDIR;
}

/* Does the environment's locale name Chinese? */
static int env_is_zh(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return !strncmp(v, "zh", 2);
    }
    return 0;
}

void xa_i18n_init(const char *lang)
{
    if (!lang || !*lang)
        lang = getenv("XIAOAN_LANG");
    if (lang && *lang)
        lang_zh = !strncmp(lang, "zh", 2);
    else
        lang_zh = env_is_zh();
    if (lang_zh) {
        setenv("LANGUAGE", "zh_CN", 1);
        const char *cur = setlocale(LC_MESSAGES, NULL);
        if (!cur || !strcmp(cur, "C") || !strcmp(cur, "POSIX"))
            setlocale(LC_MESSAGES, "C.UTF-8");
    } else {
        setenv("LANGUAGE", "en", 1);
    }
    char buf[4200];
    bindtextdomain(XA_TEXTDOMAIN, find_localedir(buf, sizeof buf));
    bind_textdomain_codeset(XA_TEXTDOMAIN, "UTF-8");
    bound = 1;
}

int xa_i18n_zh(void)
{
    return lang_zh;
}

const char *xa_tr_zh(const char *msgid)
{
    if (!msgid || !*msgid)
        return msgid;
    if (!bound)
        xa_i18n_init(NULL);
    if (lang_zh)
        return dgettext(XA_TEXTDOMAIN, msgid);
    /* Ask for Chinese for this one look-up: glibc reads $LANGUAGE on every
     * call, but ignores it in the C locale. */
    char *old_loc = NULL;
    const char *cur = setlocale(LC_MESSAGES, NULL);
    if (cur && (!strcmp(cur, "C") || !strcmp(cur, "POSIX"))) {
        old_loc = strdup(cur);
        setlocale(LC_MESSAGES, "C.UTF-8");
    }
    setenv("LANGUAGE", "zh_CN", 1);
    const char *t = dgettext(XA_TEXTDOMAIN, msgid);
    setenv("LANGUAGE", "en", 1);
    if (old_loc) {
        setlocale(LC_MESSAGES, old_loc);
        free(old_loc);
    }
    return t;
}

const char *xa_trn(const char *msgid, const char *plural, unsigned long n)
{
    if (!bound || !lang_zh)
        return n == 1 ? msgid : plural;
    return dngettext(XA_TEXTDOMAIN, msgid, plural, n);
}

const char *xa_tr(const char *msgid)
{
    if (!bound || !lang_zh || !msgid || !*msgid)
        return msgid;
    return dgettext(XA_TEXTDOMAIN, msgid);
}
