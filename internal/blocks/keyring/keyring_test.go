package keyring_test

import (
	"errors"
	"strings"
	"testing"

	"prizeportal/internal/blocks/keyring"
)

func mustKeys(t *testing.T, list string) *keyring.Keyring {
	t.Helper()
	raw, err := keyring.ParseKeys(list)
	if err != nil {
		t.Fatal(err)
	}
	k, err := keyring.New(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k := mustKeys(t, keyring.NewKey())
	sealed := k.Seal("JBSWY3DPEHPK3PXP", "totp:7")
	if strings.Contains(sealed, "JBSWY3DPEHPK3PXP") || !keyring.Sealed(sealed) || !k.Current(sealed) {
		t.Fatalf("sealed %q", sealed)
	}
	if again := k.Seal("JBSWY3DPEHPK3PXP", "totp:7"); again == sealed {
		t.Fatal("two seals of the same secret are equal: the nonce is not random")
	}
	if got, err := k.Open(sealed, "totp:7"); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := k.Open(sealed, "totp:8"); !errors.Is(err, keyring.ErrOpen) {
		t.Fatalf("opened in another context: %v", err)
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if _, err := k.Open(tampered, "totp:7"); !errors.Is(err, keyring.ErrOpen) {
		t.Fatalf("opened a changed value: %v", err)
	}
	if _, err := k.Open("JBSWY3DPEHPK3PXP", "totp:7"); !errors.Is(err, keyring.ErrOpen) || keyring.Sealed("JBSWY3DPEHPK3PXP") {
		t.Fatalf("a plaintext value is not sealed: %v", err)
	}
}

// TestRotation: a secret sealed with an old key still opens once a new key is put first, is no
// longer current, and a keyring without the old key cannot open it.
func TestRotation(t *testing.T) {
	oldKey, newKey := keyring.NewKey(), keyring.NewKey()
	before := mustKeys(t, oldKey)
	sealed := before.Seal("secret", "totp:1")
	after := mustKeys(t, newKey+","+oldKey)
	if got, err := after.Open(sealed, "totp:1"); err != nil || got != "secret" {
		t.Fatalf("open with the old key second: %q %v", got, err)
	}
	if after.Current(sealed) {
		t.Fatal("a value sealed with the old key counts as current")
	}
	if resealed := after.Seal("secret", "totp:1"); !after.Current(resealed) {
		t.Fatal("a new seal is not current")
	}
	if _, err := mustKeys(t, newKey).Open(sealed, "totp:1"); !errors.Is(err, keyring.ErrOpen) {
		t.Fatalf("opened without its key: %v", err)
	}
}

func TestParseKeys(t *testing.T) {
	a, b := keyring.NewKey(), keyring.NewKey()
	keys, err := keyring.ParseKeys(" " + a + ",\n" + b + "\n")
	if err != nil || len(keys) != 2 {
		t.Fatalf("%d keys, %v", len(keys), err)
	}
	for _, bad := range []string{"", "not base64!", "c2hvcnQ="} {
		if _, err := keyring.ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		} else if bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("the error repeats the key: %v", err)
		}
	}
	if _, err := keyring.New([][]byte{make([]byte, 32), make([]byte, 32)}); err == nil {
		t.Error("the same key twice accepted")
	}
}
