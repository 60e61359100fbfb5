package files

import (
	"bytes"
	"errors"
)

// ContainerKinds runs the ZIP and OLE2 structure checks on data, for the external tests. It
// reports the kinds found and whether each check failed for a reason other than a malformed
// file (which, on an in-memory reader, is a bug).
func ContainerKinds(data []byte) (zipKindFound, ole2KindFound int, unexpected error) {
	r := bytes.NewReader(data)
	zk, zerr := zipKind(r, int64(len(data)))
	ok, oerr := ole2Kind(r, int64(len(data)))
	for _, err := range []error{zerr, oerr} {
		if err != nil && !errors.Is(err, errMalformed) {
			return int(zk), int(ok), err
		}
	}
	return int(zk), int(ok), nil
}
