/* i18n.h — the command line's messages in the user's language (gettext).
 *
 * Messages are written in English in the code (msgids); po/zh_CN.po holds
 * the Chinese, compiled by msgfmt into LOCALEDIR/zh_CN/LC_MESSAGES/xiaoan.mo
 * at build time, so a translator adds a language without touching C.
 * The language: `--lang zh|en` (any command), else XIAOAN_LANG, else the
 * locale (LC_ALL / LC_MESSAGES / LANG starting with "zh" means Chinese).
 * The catalog is looked up in XIAOAN_LOCALEDIR, else next to the program
 * (an uninstalled build: build/locale), else the installed share/locale.
 * Error messages made with xa_fail are translated there, so every layer's
 * one-line errors reach the user in their language. */
#ifndef XIAOAN_I18N_H
#define XIAOAN_I18N_H

#define XA_TEXTDOMAIN "xiaoan"

/* Choose the language ("zh", "en", or NULL for the environment's) and bind
 * the catalog; call once, after setlocale. */
void xa_i18n_init(const char *lang);

/* Is the chosen language Chinese? */
int xa_i18n_zh(void);

/* The translation of msgid (msgid itself when there is none). */
const char *xa_tr(const char *msgid) __attribute__((format_arg(1)));

/* The Chinese translation of msgid, whatever language was chosen (msgid
 * itself when the catalog has none): for the TUI, which switches between
 * Chinese and English at run time (the L key). */
const char *xa_tr_zh(const char *msgid) __attribute__((format_arg(1)));

/* The translation of a message that depends on a count n (msgid for n == 1
 * in English, plural otherwise; the catalog's Plural-Forms choose). */
const char *xa_trn(const char *msgid, const char *plural, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));

#define _(s) xa_tr(s)
#define N_(s) (s)

#endif
