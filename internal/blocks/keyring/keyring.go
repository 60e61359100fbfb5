// Package keyring encrypts the secrets the portal must keep readable in the database (TOTP
// secrets) with keys from the environment, never stored with the data: AES-256-GCM, the first
// key encrypting, every key decrypting. A key is rotated by putting a new one first: secrets
// sealed with an older key still open, and are sealed again with the first key at start
// (account.SealTOTPSecrets); the old key can then be removed (README, "Operations").
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a key in bytes (AES-256).
const KeySize = 32

// prefix starts every sealed value: the format version. A sealed value is
// "v1:<key id>:<base64url of nonce and ciphertext>"; a base32 TOTP secret never contains ':'.
const prefix = "v1:"

// ErrOpen means a sealed value could not be opened: no key of the keyring sealed it, or it was
// changed, or it belongs to another context.
var ErrOpen = errors.New("keyring: cannot open the sealed value")

// Keyring holds the keys. The zero value has none and seals nothing.
type Keyring struct {
	keys []key
}

type key struct {
	id   string
	aead cipher.AEAD
}

// New returns a keyring of keys, the first of which seals. Every key must be KeySize bytes.
func New(keys [][]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("keyring: no key")
	}
	k := &Keyring{}
	seen := map[string]bool{}
	for i, raw := range keys {
		if len(raw) != KeySize {
			return nil, fmt.Errorf("keyring: key %d is %d bytes, want %d", i+1, len(raw), KeySize)
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, fmt.Errorf("keyring: key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("keyring: key %d: %w", i+1, err)
		}
		sum := sha256.Sum256(append([]byte("prize-portal keyring id\x00"), raw...))
		id := hex.EncodeToString(sum[:4])
		if seen[id] {
			return nil, fmt.Errorf("keyring: key %d is listed twice", i+1)
		}
		seen[id] = true
		k.keys = append(k.keys, key{id: id, aead: aead})
	}
	return k, nil
}

// ParseKeys reads a list of base64 keys separated by commas, spaces or new lines (the form of
// PORTAL_SECRET_KEYS and of a key file). Problems name the key by its position, never its value.
func ParseKeys(list string) ([][]byte, error) {
	fields := strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	if len(fields) == 0 {
		return nil, errors.New("no key")
	}
	var keys [][]byte
	for i, f := range fields {
		raw, err := base64.StdEncoding.DecodeString(f)
		if err != nil {
			raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(f, "="))
		}
		if err != nil {
			return nil, fmt.Errorf("key %d is not base64", i+1)
		}
		if len(raw) != KeySize {
			return nil, fmt.Errorf("key %d is %d bytes, want %d (make one with: openssl rand -base64 32)", i+1, len(raw), KeySize)
		}
		keys = append(keys, raw)
	}
	return keys, nil
}

// NewKey returns a new random key, base64-encoded.
func NewKey() string {
	raw := make([]byte, KeySize)
	_, _ = rand.Read(raw) // crypto/rand.Read never fails (Go 1.24+)
	return base64.StdEncoding.EncodeToString(raw)
}

// Seal encrypts plaintext with the first key. context binds the sealed value to its place (such
// as "totp:42"): opened with another context, it fails.
func (k *Keyring) Seal(plaintext, context string) string {
	first := k.keys[0]
	nonce := make([]byte, first.aead.NonceSize(), first.aead.NonceSize()+len(plaintext)+first.aead.Overhead())
	_, _ = rand.Read(nonce)
	out := first.aead.Seal(nonce, nonce, []byte(plaintext), []byte(context))
	return prefix + first.id + ":" + base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a value sealed by Seal with any key of the keyring and the same context.
func (k *Keyring) Open(sealed, context string) (string, error) {
	id, data, ok := split(sealed)
	if !ok {
		return "", ErrOpen
	}
	for _, key := range k.keys {
		if key.id != id {
			continue
		}
		ns := key.aead.NonceSize()
		if len(data) < ns {
			return "", ErrOpen
		}
		plain, err := key.aead.Open(nil, data[:ns], data[ns:], []byte(context))
		if err != nil {
			return "", ErrOpen
		}
		return string(plain), nil
	}
	return "", ErrOpen
}

// Sealed reports whether s has the form of a sealed value (as opposed to a plaintext secret
// stored before encryption was introduced).
func Sealed(s string) bool { return strings.HasPrefix(s, prefix) }

// Current reports whether sealed was sealed with the keyring's first key, so it need not be
// sealed again after a rotation.
func (k *Keyring) Current(sealed string) bool {
	id, _, ok := split(sealed)
	return ok && id == k.keys[0].id
}

func split(sealed string) (id string, data []byte, ok bool) {
	rest, found := strings.CutPrefix(sealed, prefix)
	if !found {
		return "", nil, false
	}
	id, enc, found := strings.Cut(rest, ":")
	if !found {
		return "", nil, false
	}
	data, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", nil, false
	}
	return id, data, true
}
