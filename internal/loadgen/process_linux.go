package loadgen

import "syscall"

// childAttr makes the kernel stop a child server when the load generator
// dies, however it dies.
func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} }
