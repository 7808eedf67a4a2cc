package main

import (
	"fmt"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/i18n"
)

// describe turns a service error into a message for the operator.
func describe(err error) error {
	if l, ok := err.(fault.List); ok {
		msg := ""
		for i, e := range l {
			if i > 0 {
				msg += "; "
			}
			if e.Field != "" {
				msg += e.Field + ": "
			}
			msg += i18n.T("vi", e.Key, e.Args...)
		}
		return fmt.Errorf("%s", msg)
	}
	if e := fault.As(err); e != nil && e.Kind != fault.Internal {
		return fmt.Errorf("%s", i18n.T("vi", e.Key, e.Args...))
	}
	return err
}
