// Package guides holds the tests that run the example directories of the
// guides (examples/guides/*) as a reader would: the Terraform CLI, the
// provider built from this source and served through dev_overrides, and the
// emulator in place of the platform. It has no code of its own.
package guides
