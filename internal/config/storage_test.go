package config

import (
	"errors"
	"strings"
	"testing"
)

func TestStorageDefaultsToLocal(t *testing.T) {
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Storage != "local" || c.S3 != (S3{}) {
		t.Fatalf("storage = %q, %+v", c.Storage, c.S3)
	}
}

func TestS3Storage(t *testing.T) {
	c, err := load(map[string]string{
		"PORTAL_STORAGE":       "s3",
		"PORTAL_S3_ENDPOINT":   "s3.eu-central-1.amazonaws.com",
		"PORTAL_S3_BUCKET":     "prize-portal-files",
		"PORTAL_S3_ACCESS_KEY": "AKIAEXAMPLE",
		"PORTAL_S3_SECRET_KEY": "very-secret",
		"PORTAL_S3_REGION":     "eu-central-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := S3{Endpoint: "s3.eu-central-1.amazonaws.com", Bucket: "prize-portal-files", AccessKey: "AKIAEXAMPLE", SecretKey: "very-secret", Region: "eu-central-1", UseSSL: true}
	if c.Storage != "s3" || c.S3 != want {
		t.Fatalf("got %q %+v", c.Storage, c.S3)
	}
	c, err = load(map[string]string{
		"PORTAL_STORAGE": "s3", "PORTAL_S3_ENDPOINT": "minio.internal:9000", "PORTAL_S3_BUCKET": "files",
		"PORTAL_S3_ACCESS_KEY": "a", "PORTAL_S3_SECRET_KEY": "b", "PORTAL_S3_USE_SSL": "false",
	})
	if err != nil || c.S3.UseSSL || c.S3.Region != "" {
		t.Fatalf("got %+v, %v", c.S3, err)
	}
}

func TestBadStorageIsReported(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want []string
	}{
		{map[string]string{"PORTAL_STORAGE": "ftp"}, []string{`PORTAL_STORAGE: "ftp" must be local or s3`}},
		{map[string]string{"PORTAL_STORAGE": "s3"}, []string{
			"PORTAL_S3_ENDPOINT: is required", "PORTAL_S3_BUCKET: is required",
			"PORTAL_S3_ACCESS_KEY: is required", "PORTAL_S3_SECRET_KEY: is required",
		}},
		{map[string]string{
			"PORTAL_STORAGE": "s3", "PORTAL_S3_ENDPOINT": "https://s3.amazonaws.com", "PORTAL_S3_BUCKET": "My_Bucket",
			"PORTAL_S3_ACCESS_KEY": "a", "PORTAL_S3_SECRET_KEY": "hunter2-secret", "PORTAL_S3_REGION": "EU Central", "PORTAL_S3_USE_SSL": "maybe",
		}, []string{
			"PORTAL_S3_ENDPOINT: \"https://s3.amazonaws.com\" must be host or host:port without scheme",
			"PORTAL_S3_BUCKET: \"My_Bucket\" is not a bucket name",
			"PORTAL_S3_REGION:", "PORTAL_S3_USE_SSL: \"maybe\" must be true or false",
		}},
		{map[string]string{"PORTAL_STORAGE": "s3", "PORTAL_S3_ENDPOINT": "minio:99999", "PORTAL_S3_BUCKET": "ab", "PORTAL_S3_ACCESS_KEY": "a", "PORTAL_S3_SECRET_KEY": "b"},
			[]string{`PORTAL_S3_ENDPOINT: port "99999"`, `PORTAL_S3_BUCKET: "ab" is not a bucket name`}},
		// S3 settings without PORTAL_STORAGE=s3 would put uploads on one instance's disk.
		{map[string]string{"PORTAL_S3_BUCKET": "files", "PORTAL_S3_ENDPOINT": "minio:9000"},
			[]string{"PORTAL_STORAGE: is local, but PORTAL_S3_ENDPOINT, PORTAL_S3_BUCKET are set"}},
	}
	for _, c := range cases {
		_, err := load(c.env)
		var errs Errors
		if !errors.As(err, &errs) {
			t.Fatalf("%v: err = %v", c.env, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("no %q in:\n%v", w, err)
			}
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the secret key is repeated in:\n%v", err)
		}
	}
}
