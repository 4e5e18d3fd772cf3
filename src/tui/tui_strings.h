/* tui_strings.h — every UI string of the terminal UI, Chinese first, English
 * second, as one X-macro table: S(ID, "中文", "English").  The words of the
 * domain (kinds, results, levels, verdicts) are vocab.h's, shown with
 * tui_word().  Looked up with
 * T(ID) (tui_int.h); gettext can replace this table later.  Keep each
 * string short: the UI must fit 60 columns. */
#ifndef XIAOAN_TUI_STRINGS_H
#define XIAOAN_TUI_STRINGS_H

#define TUI_STRINGS(S)                                                                    \
    S(S_APP, "校安", "xiaoan")                                                            \
    S(S_SAVED, "已保存 ✓", "saved ✓")                                                     \
    S(S_SAVING, "保存中…", "saving…")                                                     \
    S(S_SAVE_FAILED, "保存失败!", "NOT SAVED!")                                           \
    S(S_READONLY, "已封存（只读）", "sealed (read-only)")                                      \
    S(S_NEED_UTF8, "Chinese needs a UTF-8 terminal (LANG=zh_CN.UTF-8); showing English",  \
      "Chinese text needs a UTF-8 terminal (e.g. LANG=C.UTF-8)")                          \
    S(S_HELP_TITLE, "帮助（↑↓ 翻看，其他键关闭）", "Help (↑↓ scroll, any other key closes)")      \
    S(S_HELP_MORE, " 第 %d–%d 行，共 %d 行 ↑↓ ", " lines %d–%d of %d ↑↓ ")                  \
    S(S_HELP_SCREEN, "本屏按键", "Keys on this screen")                                   \
    S(S_HELP_GLOBAL, "所有屏幕", "Everywhere")                                            \
    S(S_HELP_TEXT, "文字输入", "Text fields")                                             \
    S(S_HELP_EDITKEYS,                                                                    \
      "←→ 移动  Home/Ctrl-A 行首  End/Ctrl-E 行尾  Ctrl-U 删到行首  Ctrl-W 删词  Ctrl-K 删到行尾", \
      "←→ move  Home/Ctrl-A start  End/Ctrl-E end  Ctrl-U kill to start  Ctrl-W kill word  Ctrl-K kill to end") \
    S(S_HELP_SAVE, "每次改动都立即保存；断电、断线不会丢失已显示“已保存”的内容。",          \
      "Every change is saved at once; a power cut or dropped SSH loses nothing shown as saved.") \
    /* unlock and first run */                                                            \
    S(S_UNLOCK_TITLE, "解锁", "Unlock")                                                   \
    S(S_UNLOCK_PROMPT, "请输入口令（输入时不显示）：", "Passphrase (not shown as you type):") \
    S(S_UNLOCK_WRONG, "口令错误，还可以再试 %d 次", "wrong passphrase, %d tries left")    \
    S(S_UNLOCK_GIVEUP, "口令连续错误三次，已退出", "three wrong passphrases, giving up") \
    S(S_GUIDE_TITLE, "开始使用", "Getting started")                                       \
    S(S_GUIDE_NOID,                                                                       \
      "这台电脑上还没有检查员身份。请先退出（按 q），在命令行运行：",                     \
      "There is no inspector identity on this computer yet. Quit (press q) and run:")     \
    S(S_GUIDE_NOID2,                                                                      \
      "然后运行 xiaoan id，把显示的身份和指纹交给安全科登记。",                           \
      "Then run xiaoan id and give what it prints (and the fingerprint) to the safety office.") \
    S(S_GUIDE_NOBRIEF,                                                                    \
      "还没有导入检查任务单。向安全科领取检查任务单文件（.xbrief），然后运行：",                  \
      "No brief has been imported yet. Get your brief file (.xbrief) from the safety office and run:") \
    S(S_GUIDE_NOBRIEF2,                                                                   \
      "首次导入时核对屏幕上的安全科指纹与安全科当面告诉你的一致。",                       \
      "On the first import, check the office fingerprint it shows against the one the office tells you in person.") \
    S(S_GUIDE_HOME, "数据目录：", "Data folder:")                                         \
    /* home */                                                                            \
    S(S_HOME_TITLE, "首页", "Home")                                                       \
    S(S_HOME_BRIEF, "检查任务单：%s（%s）", "Brief: %s (%s)")                                   \
    S(S_HOME_OFFICE, "安全科指纹：%s", "Office fingerprint: %s")                          \
    S(S_HOME_INSPECTOR, "检查员：%s", "Inspector: %s")                                    \
    S(S_AGE_TODAY, "今天", "today")                                                       \
    S(S_AGE_DAYS, "%d 天前", "%d days ago")                                               \
    S(S_HOME_ASSIGN, "检查任务", "Assignments")                                           \
    S(S_HOME_OPEN, "有未闭环隐患的学校", "Schools with open hazards")                     \
    S(S_HOME_DRAFTS, "草稿", "Drafts")                                                    \
    S(S_HOME_SEALED, "已封存待导出", "Sealed, not exported")                              \
    S(S_HOME_EXPORTED, "已导出", "Exported")                                              \
    S(S_HOME_EMPTY, "（无）", "(none)")                                                   \
    S(S_HOME_DUE, "截止 %s", "due %s")                                                    \
    S(S_HOME_NHAZ, "%d 条隐患", "%d hazards")                                             \
    S(S_HOME_OVERDUE, "逾期", "overdue")                                                  \
    S(S_HOME_TEAM, "小组", "team")                                                        \
    S(S_HOME_FORMS, "表单", "forms")                                                      \
    S(S_HOME_ACK_HEAD, "%s (%d) · 安全科已确认 %d", "%s (%d) · acknowledged by the office: %d") \
    S(S_HOME_ACKED, "安全科已确认", "acknowledged")                                       \
    S(S_HOME_UNACKED, "待安全科确认", "not yet acknowledged")                             \
    S(S_HOME_BUNDLES, "回传数据包", "Bundles sent")                                       \
    S(S_HOME_BUNDLE, "数据包 #%lld  %s 导出  %d 次检查", "bundle #%lld  written %s  %d visits") \
    S(S_HOME_BUNDLE_ACK, "安全科已合并（%s）", "merged by the office (%s)")               \
    S(S_HOME_CORRECT_HINT, "已封存（只读）；记录有误或漏项，按 c 开始一次更正检查", "sealed (read-only); to correct it, press c for a correction visit") \
    S(S_HOME_CORRECT_DRAFT, "草稿直接修改即可；只有已封存的检查需要更正", "a draft can simply be edited; only sealed visits are corrected") \
    S(S_HOME_CORRECTING, "更正检查：更正 %s 的记录（原记录不变，安全科两份都能看到）", "correction visit of %s (the original stays; the office sees both)") \
    S(S_HOME_BUNDLE_WAIT, "待安全科确认：合并后下一份任务单带回执", "not acknowledged yet: the next brief after the merge says so") \
    /* picker */                                                                          \
    S(S_PICK_TITLE, "选择学校", "Choose a school")                                        \
    S(S_PICK_PROMPT, "查找：", "Find: ")                                                  \
    S(S_PICK_COUNT, "%zu/%zu 所", "%zu/%zu schools")                                      \
    S(S_PICK_HINT, "输入校名、代码、县区或拼音首字母（如 ldqsyxx）",                      \
      "type a name, code, county or pinyin initials (e.g. ldqsyxx)")                      \
    S(S_PICK_NONE, "没有匹配的学校", "no school matches")                                 \
    /* visit start */                                                                     \
    S(S_START_TITLE, "开始检查", "Start the visit")                                       \
    S(S_F_SCHOOL, "学校", "School")                                                       \
    S(S_F_METHOD, "检查方式", "Method")                                                   \
    S(S_F_TEAM, "检查组成员", "Team members")                                             \
    S(S_F_TEAM_HINT, "用顿号或逗号分隔", "separate with commas")                          \
    S(S_F_ATTEST, "四不", "Four nots")                                                    \
    S(S_F_NO_NOTICE, "不发通知", "no advance notice")                                     \
    S(S_F_NO_GREETING, "不打招呼", "no greeting call")                                    \
    S(S_F_NO_BRIEFING, "不听汇报", "no briefing")                                         \
    S(S_F_NO_ESCORT, "不用陪同接待", "no escort or reception")                            \
    S(S_F_ARRIVED, "到达校门时间", "Arrived at the gate")                                 \
    S(S_F_FIRST_SITE, "到达首个现场时间", "Reached the first site")                       \
    S(S_F_FIRST_SITE_AUTO, "答第一题时自动记录", "recorded at the first answer")          \
    S(S_F_FOCUS, "重点检查内容（空格勾选；综合检查表外再选几张专项表）",                  \
      "Focus (Space ticks; the general form plus the few you check today)")             \
    S(S_F_FORM_ITEMS, "%s（%zu 项）", "%s (%zu items)")                                   \
    S(S_F_FORM_ITEMS_APPLY, "%s（%zu 项，本校适用 %zu）", "%s (%zu items, %zu apply here)") \
    S(S_F_GO, "进入检查表 →", "Go to the checklist →")                                    \
    S(S_TIME_FMT_BAD, "时间格式应为 2026-11-29 09:30", "time must look like 2026-11-29 09:30") \
    S(S_DATE_FMT_BAD, "日期格式应为 2026-12-14", "date must look like 2026-12-14")         \
    /* checklist */                                                                       \
    S(S_CHECK_TITLE, "检查表", "Checklist")                                               \
    S(S_R_AUTO_NA, "不适用(本校)", "n/a (school)")                                        \
    S(S_CHECK_ONLY_HAZ, "只看隐患", "hazards only")                                       \
    S(S_CHECK_ALL_DONE, "全部已答", "all answered")                                       \
    S(S_CHECK_NOFORMS, "没有检查表。按 f 添加表单。", "No forms. Press f to add one.")    \
    S(S_CHECK_NO_HAZ, "还没有隐患", "no hazards yet")                                     \
    S(S_CHECK_COUNT_PROMPT, "数量：", "Count: ")                                          \
    S(S_COUNT_BAD, "数量只能是 0 或正整数（不能有负号、小数或文字）",                      \
      "a count is a whole number, 0 or more (no sign, decimals or words)")               \
    S(S_COUNT_FIRST, "先输入数量：数量项没有数字不能判为符合",                              \
      "type the number first: a count without a number is never compliant")             \
    S(S_COUNT_ENTER, "Enter 确认，Esc 取消", "Enter confirms, Esc cancels")               \
    S(S_CHECK_TEXT_PROMPT, "回答：", "Answer: ")                                           \
    S(S_CHECK_TEXT_HINT, "（直接输入即作答）", "(type to answer)")                          \
    S(S_CHECK_RANGE, "范围", "range")                                                     \
    S(S_CHECK_HINT, "提示：", "Hint: ")                                                   \
    S(S_CHECK_BASIS, "依据：", "Basis: ")                                                 \
    S(S_SAME_AS, "同 %s", "same as %s")                                                 \
    S(S_CHECK_PROGRESS, "进度 %d/%d", "done %d/%d")                                       \
    S(S_FORMS_TITLE, "选择表单", "Choose forms")                                          \
    S(S_FORMS_REMOVE_ANSWERED, "该表已有答案，再按一次空格确认移除",                      \
      "this form has answers; press Space again to remove it")                            \
    S(S_FORMS_HAS_HAZ, "该表已记录隐患，不能移除（先删除隐患）",                          \
      "hazards were recorded on this form; delete them before removing it")               \
    /* item detail and hazard editor */                                                   \
    S(S_ITEM_TITLE, "检查项", "Item")                                                     \
    S(S_F_RESULT, "结论", "Result")                                                       \
    S(S_F_VALUE, "数量", "Count")                                                         \
    S(S_F_TEXT, "填写内容", "Answer text")                                                \
    S(S_F_NOTE, "备注", "Note")                                                           \
    S(S_F_LOCATION, "位置", "Location")                                                   \
    S(S_F_LOCATION_HINT, "例：宿舍楼3号402", "e.g. Dormitory 3, room 402")                \
    S(S_ITEM_HAZARDS, "本项隐患（Enter 编辑，a 新增）", "Hazards of this item (Enter edit, a add)") \
    S(S_HAZ_TITLE, "隐患", "Hazard")                                                      \
    S(S_F_DESC, "隐患描述", "Description")                                                \
    S(S_HAZ_REFERENCE, "检查项（合格要求）：", "Item (the compliant state): ")            \
    S(S_F_LEVEL, "隐患等级", "Level")                                                     \
    S(S_F_REQUIREMENT, "整改要求", "Rectification")                                       \
    S(S_F_DEADLINE, "整改期限", "Deadline")                                               \
    S(S_F_RESPONSIBLE, "学校责任人", "Responsible")                                       \
    S(S_F_MEASURES, "现场已采取措施", "Measures taken")                                   \
    S(S_F_INTERIM, "临时管控措施", "Interim control")                                     \
    S(S_F_INTERIM_HINT, "重大隐患必填，如：停用该场所、设置警戒", "required for a major hazard, e.g. close the room") \
    S(S_F_INTERIM_GENERAL, "（仅重大隐患填写）", "(major hazards only)")                    \
    S(S_HAZ_ASK_INTERIM, "重大隐患：请填写临时管控措施（如停用该场所）", "Major hazard: enter the interim control (e.g. close the room)") \
    S(S_F_ON_SITE, "已当场整改", "Rectified on the spot")                                 \
    S(S_F_NOTES, "其他说明", "Notes")                                                     \
    S(S_HAZ_DELETE_CONFIRM, "再按一次 F8 删除这条隐患", "press F8 again to delete this hazard") \
    S(S_HAZ_DELETED, "已删除隐患", "hazard deleted")                                      \
    /* follow-ups */                                                                      \
    S(S_FU_TITLE, "复查以往隐患", "Follow-ups")                                           \
    S(S_FU_NONE, "检查任务单中本校没有未闭环的隐患", "the brief lists no open hazards for this school") \
    S(S_V_NONE, "待复查", "to check")                                                     \
    S(S_FU_FOUND, "发现于 %s，期限 %s", "found %s, due %s")                               \
    S(S_FU_VERDICT_FIRST, "先按 1–4 给出复查结论，再写说明", "give a verdict (1–4) first, then the note") \
    S(S_FU_NOTE, "复查说明（Enter 编辑，Esc 结束）", "Note (Enter to edit, Esc to finish)") \
    /* review and seal */                                                                 \
    S(S_REVIEW_TITLE, "核对与封存", "Review and seal")                                    \
    S(S_REV_ANSWERS, "检查项：%d 项，符合 %d，隐患 %d，不适用 %d，未答 %d",               \
      "Items: %d; pass %d, hazard %d, n/a %d, unanswered %d")                             \
    S(S_REV_HAZARDS, "隐患：%d 条（重大 %d，一般 %d）", "Hazards: %d (major %d, general %d)") \
    S(S_REV_FOLLOWUPS, "复查：%d/%d 条已给结论", "Follow-ups: %d/%d with a verdict")      \
    S(S_REV_WARNINGS, "注意", "Warnings")                                                 \
    S(S_REV_W_UNANSWERED, "%d 项未答：%s", "%d items unanswered: %s")                     \
    S(S_REV_W_NODEADLINE, "隐患缺整改期限：%s", "hazard without deadline: %s")            \
    S(S_REV_W_NODESC, "隐患未写描述：%s", "hazard without a description: %s")              \
    S(S_REV_W_DESC_IS_ITEM, "隐患描述照抄了检查项原文（那是合格要求）：%s",               \
      "hazard description copies the item's text (the compliant state): %s")              \
    S(S_REV_HAZARD_GONE, "这条隐患已不在本次检查中", "this hazard is no longer in the visit") \
    S(S_REV_W_FIRST_BEFORE_GATE, "到达首个现场时间早于到达校门时间", "the first site is before the arrival at the gate") \
    S(S_REV_W_FIRST_AFTER_SEAL, "到达首个现场时间晚于封存时间", "the first site is after the seal")   \
    S(S_REV_W_FIRST_FUTURE, "到达首个现场时间晚于现在", "the first site is later than now")         \
    S(S_REV_W_GATE_GAP, "从校门到首个现场用了 %lld 分钟（超过 %d 分钟，未直奔现场？）",       \
      "%lld minutes from the gate to the first site (more than %d: not straight to the site?)") \
    S(S_REV_W_NORESP, "隐患缺学校责任人：%s", "hazard without responsible person: %s")    \
    S(S_REV_W_NOINTERIM, "重大隐患缺临时管控措施：%s", "major hazard without interim control: %s") \
    S(S_REV_W_ATTEST, "“四不”未全部勾选", "not all four nots are attested")               \
    S(S_REV_W_FOLLOWUP, "%d 条以往隐患未复查", "%d earlier hazards not re-checked")       \
    S(S_REV_W_NOFIRST, "未记录到达首个现场时间", "time of the first site not recorded")    \
    S(S_REV_OK, "没有发现问题", "no problems found")                                      \
    S(S_REV_TIMES, "到达校门 %s，到达首个现场 %s", "at the gate %s, first site %s")      \
    S(S_REV_SEAL_HINT, "核对无误后按 S 封存；封存后不能再修改", "When everything is right press S to seal; a sealed visit cannot be changed") \
    S(S_REV_SEALED_AT, "已封存：序号 %lld，%s", "sealed: sequence %lld, %s")             \
    S(S_REV_SEAL_ASK, "封存后本次检查不能再修改。确认封存？按 y 确认，其他键取消",        \
      "After sealing this visit cannot be changed. Seal? y = yes, any other key = no")    \
    S(S_REV_SEALED, "已封存，序号 %lld", "sealed, sequence %lld")                         \
    S(S_REV_IS_SEALED, "本次检查已封存（只读）", "this visit is sealed (read-only)")      \
    /* export */                                                                          \
    S(S_EXPORT_TITLE, "导出", "Export")                                                   \
    S(S_EXPORT_COUNT, "待导出的已封存检查：%d 次", "Sealed visits to export: %d")         \
    S(S_EXPORT_NONE, "没有待导出的检查", "nothing to export")                             \
    S(S_EXPORT_PATH, "导出到文件夹", "Export to folder")                                  \
    S(S_EXPORT_DO, "写出数据包", "Write the bundle")                                      \
    S(S_EXPORT_DONE, "已导出：%s", "written: %s")                                         \
    S(S_EXPORT_OFFICE, "接收方（安全科）指纹：%s", "Recipient (office) fingerprint: %s")  \
    S(S_EXPORT_TELL, "把这个文件交给安全科（U 盘、邮件均可，文件已加密）",                \
      "Hand this file to the safety office (USB stick or mail; it is encrypted)")         \
    /* actions (labels for hints and help) */                                             \
    S(S_A_HELP, "帮助", "help")                                                           \
    S(S_A_BACK, "返回", "back")                                                           \
    S(S_A_QUIT, "保存并退出", "save and quit")                                            \
    S(S_HOME_ESC, "已在首页；按 q 保存并退出", "this is the home screen: q saves and quits")  \
    S(S_A_REDRAW, "重画屏幕", "redraw the screen")                                        \
    S(S_A_UP, "上移", "up")                                                               \
    S(S_A_DOWN, "下移", "down")                                                           \
    S(S_A_PGUP, "上一页", "page up")                                                      \
    S(S_A_PGDN, "下一页", "page down")                                                    \
    S(S_A_FIRST, "第一行", "first")                                                       \
    S(S_A_LAST, "最后一行", "last")                                                       \
    S(S_A_OPEN, "打开", "open")                                                           \
    S(S_A_NEW, "新检查", "new visit")                                                     \
    S(S_A_EXPORT, "导出", "export")                                                       \
    S(S_A_LANG, "English", "中文")                                                        \
    S(S_A_NEXT_FIELD, "下一栏", "next field")                                             \
    S(S_A_PREV_FIELD, "上一栏", "previous field")                                         \
    S(S_A_TOGGLE, "勾选/切换", "toggle")                                                  \
    S(S_A_DONE, "完成", "done")                                                           \
    S(S_A_WORD, "", "") /* an answer or a verdict: its vocab.h label */ \
    S(S_A_CLEAR, "清除答案", "clear the answer")                                          \
    S(S_A_NEXT_UNANS, "下一未答", "next unanswered")                                      \
    S(S_A_ONLY_HAZ, "只看隐患", "hazards only")                                           \
    S(S_A_DETAIL, "详情", "details")                                                      \
    S(S_A_ADD_HAZ, "新增隐患", "add a hazard")                                            \
    S(S_A_FORMS, "增减表单", "add/remove forms")                                          \
    S(S_A_FOLLOWUPS, "复查", "follow-ups")                                                \
    S(S_A_REVIEW, "核对封存", "review & seal")                                            \
    S(S_A_START, "检查信息", "visit details")                                             \
    S(S_A_NEXT_SECT, "下一节", "next section")                                            \
    S(S_A_PREV_SECT, "上一节", "previous section")                                        \
    S(S_A_DELETE, "删除", "delete")                                                       \
    S(S_A_DISCARD, "删除草稿", "discard a draft")                                         \
    S(S_A_CORRECT, "更正已封存的检查", "correct a sealed visit")                          \
    S(S_HOME_DISCARD_CONFIRM, "再按一次 D 删除这份草稿（不可恢复）", "press D again to discard this draft (cannot be undone)") \
    S(S_HOME_DISCARDED, "草稿已删除", "draft discarded")                                  \
    S(S_HOME_NOT_DRAFT, "只有草稿可以删除", "only drafts can be discarded")               \
    S(S_A_SEAL, "封存", "seal")                                                           \
    S(S_A_WRITE, "导出", "export")                                                        \
    /* errors */                                                                          \
    S(S_ERR, "出错：%s", "error: %s")                                                     \
    S(S_ERR_SEALED, "已封存的检查不能修改", "a sealed visit cannot be changed")

#endif
