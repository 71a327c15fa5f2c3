//go:build linux && amd64 && cgo && !eagergtk

// lazygtk_resolve_preserving_arguments is called by a trampoline's first
// jump, before the caller's arguments have reached the real function: it
// keeps every register that can carry an argument (and %al, the count of
// vector registers a variadic call uses) across lazygtk_resolve.
//
// On entry %rsp is 0 mod 16: the caller's call and this call pushed 16
// bytes. Seven pushes and 136 bytes leave it 0 mod 16 again for the call.

	.section .note.GNU-stack,"",@progbits
	.text
	.globl lazygtk_resolve_preserving_arguments
	.hidden lazygtk_resolve_preserving_arguments
	.type lazygtk_resolve_preserving_arguments, @function
lazygtk_resolve_preserving_arguments:
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %r8
	pushq %r9
	pushq %rax
	subq $136, %rsp
	movdqu %xmm0, 0(%rsp)
	movdqu %xmm1, 16(%rsp)
	movdqu %xmm2, 32(%rsp)
	movdqu %xmm3, 48(%rsp)
	movdqu %xmm4, 64(%rsp)
	movdqu %xmm5, 80(%rsp)
	movdqu %xmm6, 96(%rsp)
	movdqu %xmm7, 112(%rsp)
	call lazygtk_resolve
	movdqu 0(%rsp), %xmm0
	movdqu 16(%rsp), %xmm1
	movdqu 32(%rsp), %xmm2
	movdqu 48(%rsp), %xmm3
	movdqu 64(%rsp), %xmm4
	movdqu 80(%rsp), %xmm5
	movdqu 96(%rsp), %xmm6
	movdqu 112(%rsp), %xmm7
	addq $136, %rsp
	popq %rax
	popq %r9
	popq %r8
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	ret
	.size lazygtk_resolve_preserving_arguments, .-lazygtk_resolve_preserving_arguments
