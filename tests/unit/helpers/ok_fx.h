/* ok_fx.h — OK(call): a call that must return XA_OK, with E its xa_err, so
 * that a failure names the call and the message.  A header of its own (not
 * in unit_fx.h) because E is a name some tests use for other things.
 * Include after <cmocka.h>. */
#ifndef XIAOAN_TEST_OK_FX_H
#define XIAOAN_TEST_OK_FX_H

#include "xiaoan/error.h"

#define OK(call)                                                                         \
    do {                                                                                 \
        xa_err e_;                                                                       \
        xa_err_clear(&e_);                                                               \
        xa_code c_ = (call);                                                             \
        if (c_ != XA_OK)                                                                 \
            fail_msg("%s failed: %s", #call, xa_err_msg(&e_));                          \
    } while (0)
#define E (&e_)

#endif
