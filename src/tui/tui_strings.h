/* tui_strings.h — every UI string of the terminal UI as one X-macro table:
 * TS(ID, "English").  The English is the gettext msgid; the Chinese (and any
 * other language) lives in po/LANG.po, so a translator adds a language
 * without touching C (`make pot` extracts this table with the keyword TS:2).
 * Looked up with T(ID) (tui_int.h, strings.c), which follows the TUI's
 * run-time language switch (L).  The words of the domain (kinds, results,
 * levels, verdicts) are vocab.h's, shown with tui_word().  Keep each string
 * short: the UI must fit 60 columns. */
#ifndef XIAOAN_TUI_STRINGS_H
#define XIAOAN_TUI_STRINGS_H

/* An entry with no text of its own (its label comes from elsewhere). */
#define TUI_NOSTR ""

#define TUI_STRINGS(TS)                                                                   \
    TS(S_APP, "xiaoan")                                                                   \
    TS(S_SAVED, "saved ✓")                                                                \
    TS(S_SAVING, "saving…")                                                               \
    TS(S_SAVE_FAILED, "NOT SAVED!")                                                       \
    TS(S_READONLY, "sealed (read-only)")                                                  \
    /* TRANSLATORS: shown only on a terminal that cannot draw your script: keep it ASCII. */ \
    TS(S_NEED_UTF8, "Chinese text needs a UTF-8 terminal (e.g. LANG=C.UTF-8)")            \
    TS(S_HELP_TITLE, "Help (↑↓ scroll, any other key closes)")                            \
    TS(S_HELP_MORE, " lines %d–%d of %d ↑↓ ")                                             \
    TS(S_HELP_SCREEN, "Keys on this screen")                                              \
    TS(S_HELP_GLOBAL, "Everywhere")                                                       \
    TS(S_HELP_TEXT, "Text fields")                                                        \
    TS(S_HELP_EDITKEYS, "←→ move  Home/Ctrl-A start  End/Ctrl-E end  Ctrl-U kill to start  Ctrl-W kill word  Ctrl-K kill to end") \
    TS(S_HELP_SAVE, "Every change is saved at once; a power cut or dropped SSH loses nothing shown as saved.") \
    /* unlock and first run */                                                            \
    TS(S_UNLOCK_TITLE, "Unlock")                                                          \
    TS(S_UNLOCK_PROMPT, "Passphrase (not shown as you type):")                            \
    TS(S_UNLOCK_WRONG, "wrong passphrase, %d tries left")                                 \
    TS(S_UNLOCK_GIVEUP, "three wrong passphrases, giving up")                             \
    TS(S_GUIDE_TITLE, "Getting started")                                                  \
    TS(S_GUIDE_NOID, "There is no inspector identity on this computer yet. Quit (press q) and run:") \
    TS(S_GUIDE_NOID2, "Then run xiaoan id and give what it prints (and the fingerprint) to the safety office.") \
    TS(S_GUIDE_NOBRIEF, "No brief has been imported yet. Get your brief file (.xbrief) from the safety office and run:") \
    TS(S_GUIDE_NOBRIEF2, "On the first import, check the office fingerprint it shows against the one the office tells you in person.") \
    TS(S_GUIDE_HOME, "Data folder:")                                                      \
    /* home */                                                                            \
    TS(S_HOME_TITLE, "Home")                                                              \
    TS(S_HOME_BRIEF, "Brief: %s (%s)")                                                    \
    TS(S_HOME_OFFICE, "Office fingerprint: %s")                                           \
    TS(S_HOME_INSPECTOR, "Inspector: %s")                                                 \
    TS(S_AGE_TODAY, "today")                                                              \
    TS(S_AGE_DAYS, "%d days ago")                                                         \
    TS(S_HOME_ASSIGN, "Assignments")                                                      \
    TS(S_HOME_OPEN, "Schools with open hazards")                                          \
    TS(S_HOME_DRAFTS, "Drafts")                                                           \
    TS(S_HOME_SEALED, "Sealed, not exported")                                             \
    TS(S_HOME_EXPORTED, "Exported")                                                       \
    TS(S_HOME_EMPTY, "(none)")                                                            \
    TS(S_HOME_DUE, "due %s")                                                              \
    TS(S_HOME_NHAZ, "%d hazards")                                                         \
    TS(S_HOME_OVERDUE, "overdue")                                                         \
    TS(S_HOME_TEAM, "team")                                                               \
    TS(S_HOME_FORMS, "forms")                                                             \
    TS(S_HOME_ACK_HEAD, "%s (%d) · acknowledged by the office: %d")                       \
    TS(S_HOME_ACKED, "acknowledged")                                                      \
    TS(S_HOME_UNACKED, "not yet acknowledged")                                            \
    TS(S_HOME_BUNDLES, "Bundles sent")                                                    \
    TS(S_HOME_BUNDLE, "bundle #%lld  written %s  %d visits")                              \
    TS(S_HOME_BUNDLE_ACK, "merged by the office (%s)")                                    \
    TS(S_HOME_CORRECT_HINT, "sealed (read-only); to correct it, press c for a correction visit") \
    TS(S_HOME_CORRECT_DRAFT, "a draft can simply be edited; only sealed visits are corrected") \
    TS(S_HOME_CORRECTING, "correction visit of %s (the original stays; the office sees both)") \
    TS(S_HOME_BUNDLE_WAIT, "not acknowledged yet: the next brief after the merge says so") \
    /* picker */                                                                          \
    TS(S_PICK_TITLE, "Choose a school")                                                   \
    TS(S_PICK_PROMPT, "Find: ")                                                           \
    TS(S_PICK_COUNT, "%zu/%zu schools")                                                   \
    TS(S_PICK_HINT, "type a name, code, county or pinyin initials (e.g. ldqsyxx)")        \
    TS(S_PICK_NONE, "no school matches")                                                  \
    /* visit start */                                                                     \
    TS(S_START_TITLE, "Start the visit")                                                  \
    TS(S_F_SCHOOL, "School")                                                              \
    TS(S_F_METHOD, "Method")                                                              \
    TS(S_F_TEAM, "Team members")                                                          \
    TS(S_F_TEAM_HINT, "separate with commas")                                             \
    TS(S_F_ATTEST, "Four nots")                                                           \
    TS(S_F_NO_NOTICE, "no advance notice")                                                \
    TS(S_F_NO_GREETING, "no greeting call")                                               \
    TS(S_F_NO_BRIEFING, "no briefing")                                                    \
    TS(S_F_NO_ESCORT, "no escort or reception")                                           \
    TS(S_F_ARRIVED, "Arrived at the gate")                                                \
    TS(S_F_FIRST_SITE, "Reached the first site")                                          \
    TS(S_F_FIRST_SITE_AUTO, "recorded at the first answer")                               \
    TS(S_F_FOCUS, "Focus (Space ticks; the general form plus the few you check today)")   \
    TS(S_F_FORM_ITEMS, "%s (%zu items)")                                                  \
    TS(S_F_FORM_ITEMS_APPLY, "%s (%zu items, %zu apply here)")                            \
    TS(S_F_GO, "Go to the checklist →")                                                   \
    TS(S_TIME_FMT_BAD, "time must look like 2026-11-29 09:30")                            \
    TS(S_DATE_FMT_BAD, "date must look like 2026-12-14")                                  \
    /* checklist */                                                                       \
    TS(S_CHECK_TITLE, "Checklist")                                                        \
    TS(S_R_AUTO_NA, "n/a (school)")                                                       \
    TS(S_CHECK_ONLY_HAZ, "hazards only")                                                  \
    TS(S_CHECK_ALL_DONE, "all answered")                                                  \
    TS(S_CHECK_NOFORMS, "No forms. Press f to add one.")                                  \
    TS(S_CHECK_NO_HAZ, "no hazards yet")                                                  \
    TS(S_CHECK_COUNT_PROMPT, "Count: ")                                                   \
    TS(S_COUNT_BAD, "a count is a whole number, 0 or more (no sign, decimals or words)")  \
    TS(S_COUNT_FIRST, "type the number first: a count without a number is never compliant") \
    TS(S_COUNT_ENTER, "Enter confirms, Esc cancels")                                      \
    TS(S_CHECK_TEXT_PROMPT, "Answer: ")                                                   \
    TS(S_CHECK_TEXT_HINT, "(type to answer)")                                             \
    TS(S_CHECK_RANGE, "range")                                                            \
    TS(S_CHECK_HINT, "Hint: ")                                                            \
    TS(S_CHECK_BASIS, "Basis: ")                                                          \
    TS(S_SAME_AS, "same as %s")                                                           \
    TS(S_CHECK_PROGRESS, "done %d/%d")                                                    \
    TS(S_FORMS_TITLE, "Choose forms")                                                     \
    TS(S_FORMS_REMOVE_ANSWERED, "this form has answers; press Space again to remove it")  \
    TS(S_FORMS_HAS_HAZ, "hazards were recorded on this form; delete them before removing it") \
    /* item detail and hazard editor */                                                   \
    TS(S_ITEM_TITLE, "Item")                                                              \
    TS(S_F_RESULT, "Result")                                                              \
    TS(S_F_VALUE, "Count")                                                                \
    TS(S_F_TEXT, "Answer text")                                                           \
    TS(S_F_NOTE, "Note")                                                                  \
    TS(S_F_LOCATION, "Location")                                                          \
    TS(S_F_LOCATION_HINT, "e.g. Dormitory 3, room 402")                                   \
    TS(S_ITEM_HAZARDS, "Hazards of this item (Enter edit, a add)")                        \
    TS(S_HAZ_TITLE, "Hazard")                                                             \
    TS(S_F_DESC, "Description")                                                           \
    TS(S_HAZ_REFERENCE, "Item (the compliant state): ")                                   \
    TS(S_F_LEVEL, "Level")                                                                \
    TS(S_F_REQUIREMENT, "Rectification")                                                  \
    TS(S_F_DEADLINE, "Deadline")                                                          \
    TS(S_F_RESPONSIBLE, "Responsible")                                                    \
    TS(S_F_MEASURES, "Measures taken")                                                    \
    TS(S_F_INTERIM, "Interim control")                                                    \
    TS(S_F_INTERIM_HINT, "required for a major hazard, e.g. close the room")              \
    TS(S_F_INTERIM_GENERAL, "(major hazards only)")                                       \
    TS(S_HAZ_ASK_INTERIM, "Major hazard: enter the interim control (e.g. close the room)") \
    TS(S_F_ON_SITE, "Rectified on the spot")                                              \
    TS(S_F_NOTES, "Notes")                                                                \
    TS(S_HAZ_DELETE_CONFIRM, "press F8 (or Ctrl-R) again to delete this hazard")          \
    TS(S_HAZ_DELETED, "hazard deleted")                                                   \
    /* follow-ups */                                                                      \
    TS(S_FU_TITLE, "Follow-ups")                                                          \
    TS(S_FU_NONE, "the brief lists no open hazards for this school")                      \
    TS(S_V_NONE, "to check")                                                              \
    TS(S_FU_FOUND, "found %s, due %s")                                                    \
    TS(S_FU_VERDICT_FIRST, "give a verdict (1–4) first, then the note")                   \
    TS(S_FU_NOTE, "Note (Enter to edit, Esc to finish)")                                  \
    /* review and seal */                                                                 \
    TS(S_REVIEW_TITLE, "Review and seal")                                                 \
    TS(S_REV_ANSWERS, "Items: %d; pass %d, hazard %d, n/a %d, unanswered %d")             \
    TS(S_REV_HAZARDS, "Hazards: %d (major %d, general %d)")                               \
    TS(S_REV_FOLLOWUPS, "Follow-ups: %d/%d with a verdict")                               \
    TS(S_REV_WARNINGS, "Warnings")                                                        \
    TS(S_REV_W_UNANSWERED, "%d items unanswered: %s")                                     \
    TS(S_REV_W_NODEADLINE, "hazard without deadline: %s")                                 \
    TS(S_REV_W_NODESC, "hazard without a description: %s")                                \
    TS(S_REV_W_DESC_IS_ITEM, "hazard description copies the item's text (the compliant state): %s") \
    TS(S_REV_HAZARD_GONE, "this hazard is no longer in the visit")                        \
    TS(S_REV_W_FIRST_BEFORE_GATE, "the first site is before the arrival at the gate")     \
    TS(S_REV_W_FIRST_AFTER_SEAL, "the first site is after the seal")                      \
    TS(S_REV_W_FIRST_FUTURE, "the first site is later than now")                          \
    TS(S_REV_W_GATE_GAP, "%lld minutes from the gate to the first site (more than %d: not straight to the site?)") \
    TS(S_REV_W_NORESP, "hazard without responsible person: %s")                           \
    TS(S_REV_W_NOINTERIM, "major hazard without interim control: %s")                     \
    TS(S_REV_W_ATTEST, "not all four nots are attested")                                  \
    TS(S_REV_W_FOLLOWUP, "%d earlier hazards not re-checked")                             \
    TS(S_REV_W_NOFIRST, "time of the first site not recorded")                            \
    TS(S_REV_OK, "no problems found")                                                     \
    TS(S_REV_TIMES, "at the gate %s, first site %s")                                      \
    TS(S_REV_SEAL_HINT, "When everything is right press S to seal; a sealed visit cannot be changed") \
    TS(S_REV_SEALED_AT, "sealed: sequence %lld, %s")                                      \
    TS(S_REV_SEAL_ASK, "After sealing this visit cannot be changed. Seal? y = yes, any other key = no") \
    TS(S_REV_SEALED, "sealed, sequence %lld")                                             \
    TS(S_REV_IS_SEALED, "this visit is sealed (read-only)")                               \
    /* export */                                                                          \
    TS(S_EXPORT_TITLE, "Export")                                                          \
    TS(S_EXPORT_COUNT, "Sealed visits to export: %d")                                     \
    TS(S_EXPORT_NONE, "nothing to export")                                                \
    TS(S_EXPORT_PATH, "Export to folder")                                                 \
    TS(S_EXPORT_DO, "Write the bundle")                                                   \
    TS(S_EXPORT_DONE, "written: %s")                                                      \
    TS(S_EXPORT_PARTS, "%d files (over 100 MB the export is split): hand in every one")   \
    TS(S_EXPORT_OFFICE, "Recipient (office) fingerprint: %s")                             \
    TS(S_EXPORT_TELL, "Hand this file to the safety office (USB stick or mail; it is encrypted)") \
    /* actions (labels for hints and help) */                                             \
    TS(S_A_HELP, "help")                                                                  \
    TS(S_A_BACK, "back")                                                                  \
    TS(S_A_QUIT, "save and quit")                                                         \
    TS(S_HOME_ESC, "this is the home screen: q saves and quits")                          \
    TS(S_KEY_UNKNOWN, "unknown key (TERM=%s may not match this terminal); press ? for the other keys") \
    TS(S_A_REDRAW, "redraw the screen")                                                   \
    TS(S_A_UP, "up")                                                                      \
    TS(S_A_DOWN, "down")                                                                  \
    TS(S_A_PGUP, "page up")                                                               \
    TS(S_A_PGDN, "page down")                                                             \
    TS(S_A_FIRST, "first")                                                                \
    TS(S_A_LAST, "last")                                                                  \
    TS(S_A_OPEN, "open")                                                                  \
    TS(S_A_NEW, "new visit")                                                              \
    TS(S_A_EXPORT, "export")                                                              \
    /* TRANSLATORS: the key L switches between your language and English; this label     \
       names the language it switches to: "English" in your language. */               \
    TS(S_A_LANG, "中文")                                                                    \
    TS(S_A_NEXT_FIELD, "next field")                                                      \
    TS(S_A_PREV_FIELD, "previous field")                                                  \
    TS(S_A_TOGGLE, "toggle")                                                              \
    TS(S_A_DONE, "done")                                                                  \
    TS(S_A_WORD, TUI_NOSTR) /* an answer or a verdict: its vocab.h label */                      \
    TS(S_A_CLEAR, "clear the answer")                                                     \
    TS(S_A_NEXT_UNANS, "next unanswered")                                                 \
    TS(S_A_ONLY_HAZ, "hazards only")                                                      \
    TS(S_A_DETAIL, "details")                                                             \
    TS(S_A_ADD_HAZ, "add a hazard")                                                       \
    TS(S_A_FORMS, "add/remove forms")                                                     \
    TS(S_A_FOLLOWUPS, "follow-ups")                                                       \
    TS(S_A_REVIEW, "review & seal")                                                       \
    TS(S_A_START, "visit details")                                                        \
    TS(S_A_NEXT_SECT, "next section")                                                     \
    TS(S_A_PREV_SECT, "previous section")                                                 \
    TS(S_A_DELETE, "delete")                                                              \
    TS(S_A_DISCARD, "discard a draft")                                                    \
    TS(S_A_CORRECT, "correct a sealed visit")                                             \
    TS(S_HOME_DISCARD_CONFIRM, "press D again to discard this draft (cannot be undone)")  \
    TS(S_HOME_DISCARDED, "draft discarded")                                               \
    TS(S_HOME_NOT_DRAFT, "only drafts can be discarded")                                  \
    TS(S_A_SEAL, "seal")                                                                  \
    TS(S_A_WRITE, "export")                                                               \
    /* photos and documents (scr_attach.c) */                                             \
    TS(S_A_PHOTOS, "photos") \
    TS(S_A_MARK, "mark") \
    TS(S_A_UPDIR, "parent folder") \
    TS(S_A_PANE, "attached/folder") \
    TS(S_A_DETACH, "remove") \
    TS(S_A_HOMEDIR, "home folder") \
    TS(S_AT_TITLE, "Photos") \
    TS(S_AT_FOR_HAZARD, "hazard %d %s (before)") \
    TS(S_AT_FOR_FOLLOWUP, "follow-up (after)") \
    TS(S_AT_FOR_VISIT, "this visit") \
    TS(S_AT_GOT, "Attached (%d)") \
    TS(S_AT_NONE, "(none yet)") \
    TS(S_AT_TAKEN, "taken ") \
    TS(S_AT_FOLDER, "Folder: %s") \
    TS(S_AT_PARENT, "../ (parent folder)") \
    TS(S_AT_EMPTY, "no photos or PDFs in this folder") \
    TS(S_AT_ONLY, "Only JPEG, PNG, HEIC and PDF are listed (by content); Space marks, Enter attaches") \
    TS(S_AT_MARKED, "%d files marked: Enter attaches") \
    TS(S_AT_ADDED, "%d files attached") \
    TS(S_AT_REMOVE_CONFIRM, "press F8 again to remove %s") \
    TS(S_AT_REMOVED, "removed %s") \
    TS(S_AT_NO_FOLDER, "cannot open the folder: %s") \
    TS(S_AT_TOO_BIG, "%s is too large: at most %lld MB a file and %lld MB a visit") \
    TS(S_AT_BAD_TYPE, "%s is not a JPEG, PNG, HEIC or PDF file (by its content)") \
    TS(S_AT_GONE, "this hazard or follow-up is no longer in the visit") \
    TS(S_AT_COUNT, "Photos: %d (F5 to add or view)") \
    TS(S_FU_PHOTO_FIRST, "give a verdict (1–4) first, then the photos") \
    TS(S_REV_W_PHOTO_TIME, "photo %s was taken %s, outside the visit (%s to %s)") \
    /* errors */                                                                          \
    TS(S_ERR, "error: %s")                                                                \
    /* printed on the terminal after quitting; %s is the reason */                        \
    TS(S_QUIT_UNSAVED, "the last change was NOT saved: %s")                               \
    TS(S_ERR_SEALED, "a sealed visit cannot be changed")

#endif
