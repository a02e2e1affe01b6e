/* test-sigv4.c — AWS Signature Version 4: published vectors, S3 examples, encoding
 *
 * Copyright 2026 The Sendoff authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sendoff-sigv4.h"
#include "sendoff-types.h"

/* ---- the AWS SigV4 test suite ----------------------------------------
 *
 * From aws-c-auth, tests/aws-signing-test-suite/v4/<name>/ (commit
 * 495329c2433034bd8fd53fc6ba9e0202d3fac876): request.txt gives the request,
 * header-canonical-request.txt, header-string-to-sign.txt and the
 * Authorization of header-signed-request.txt the expected values. Its
 * context.json: key AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
 * us-east-1, service "service", 2015-08-30T12:36:00Z.
 *
 * Only the "-unnormalized" path cases apply: S3 signs the path exactly as
 * sent ("//example//", "/./", "/example1/example2/../.."), it does not
 * normalize it the way other AWS services do. */

#define MAX_PAIRS 5

typedef struct {
  const char       *name;
  const char       *method;
  const char       *host;
  const char       *path;      /* raw: encoded by the test with the code under test */
  SendoffSigv4Pair  query[MAX_PAIRS];
  SendoffSigv4Pair  headers[MAX_PAIRS];
  const char       *payload_hash;
  const char       *canonical_request;
  const char       *string_to_sign;
  const char       *authorization;
} Vector;

static const Vector vectors[] = {
  { "get-vanilla",
    "GET", "example.amazonaws.com", "/",
    { { NULL, NULL } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/\n"
      "\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
  { "get-vanilla-query-order-key-case",
    "GET", "example.amazonaws.com", "/",
    { { "Param2", "value2" }, { "Param1", "value1" } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/\n"
      "Param1=value1&Param2=value2\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
  { "get-vanilla-query-unreserved",
    "GET", "example.amazonaws.com", "/",
    { { "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/\n"
      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197" },
  { "get-vanilla-utf8-query",
    "GET", "example.amazonaws.com", "/",
    { { "\xe1""\x88""\xb4""", "bar" } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/\n"
      "%E1%88%B4=bar\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04" },
  { "get-vanilla-empty-query-key",
    "GET", "example.amazonaws.com", "/",
    { { "Param1", "value1" } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/\n"
      "Param1=value1\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb" },
  { "get-unreserved",
    "GET", "example.amazonaws.com", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    { { NULL, NULL } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n"
      "\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
  { "get-utf8",
    "GET", "example.amazonaws.com", "/\xe1""\x88""\xb4""",
    { { NULL, NULL } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/%E1%88%B4\n"
      "\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85" },
  { "get-space-unnormalized",
    "GET", "example.amazonaws.com", "/example space/",
    { { NULL, NULL } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/example%20space/\n"
      "\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741" },
  { "get-slashes-unnormalized",
    "GET", "example.amazonaws.com", "//example//",
    { { NULL, NULL } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "//example//\n"
      "\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "528ec3105ee1f34ab014bb0a1a45da0ed2742a4fea3555149e5b4d5d201eb240",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5" },
  { "get-slash-dot-slash-unnormalized",
    "GET", "example.amazonaws.com", "/./",
    { { NULL, NULL } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/./\n"
      "\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "d67825e2268bd77a97c7688b8d72c31a3c1855b309808505ba0a9747d2465aa7",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=68714168e6557f8f2de0ef956fc24dc2593a4bd2961f8df51898d8a134695145" },
  { "get-relative-relative-unnormalized",
    "GET", "example.amazonaws.com", "/example1/example2/../..",
    { { NULL, NULL } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/example1/example2/../..\n"
      "\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "76115030c0f3ff06c20fdff5ceb6d5e0b835a1743e00b94fea7c7f381269437b",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a333df5e613003b" },
  { "get-header-value-trim",
    "GET", "example.amazonaws.com", "/",
    { { NULL, NULL } },
    { { "My-Header1", " value1" }, { "My-Header2", " \"a   b   c\"" } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/\n"
      "\n"
      "host:example.amazonaws.com\n"
      "my-header1:value1\n"
      "my-header2:\"a b c\"\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;my-header1;my-header2;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
      "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
  { "get-header-key-duplicate",
    "GET", "example.amazonaws.com", "/",
    { { NULL, NULL } },
    { { "My-Header1", "value2" }, { "My-Header1", "value2" }, { "My-Header1", "value1" } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/\n"
      "\n"
      "host:example.amazonaws.com\n"
      "my-header1:value2,value2,value1\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;my-header1;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;my-header1;x-amz-date, "
      "Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea" },
  { "get-header-value-order",
    "GET", "example.amazonaws.com", "/",
    { { NULL, NULL } },
    { { "My-Header1", "value4" }, { "My-Header1", "value1" }, { "My-Header1", "value3" }, { "My-Header1", "value2" } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "GET\n"
      "/\n"
      "\n"
      "host:example.amazonaws.com\n"
      "my-header1:value4,value1,value3,value2\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;my-header1;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;my-header1;x-amz-date, "
      "Signature=08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01" },
  { "post-header-key-sort",
    "POST", "example.amazonaws.com", "/",
    { { NULL, NULL } },
    { { "My-Header1", "value1" } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "POST\n"
      "/\n"
      "\n"
      "host:example.amazonaws.com\n"
      "my-header1:value1\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;my-header1;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;my-header1;x-amz-date, "
      "Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c" },
  { "post-header-key-case",
    "POST", "example.amazonaws.com", "/",
    { { NULL, NULL } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "POST\n"
      "/\n"
      "\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
  { "post-vanilla-query",
    "POST", "example.amazonaws.com", "/",
    { { "Param1", "value1" } },
    { { NULL, NULL } },
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "POST\n"
      "/\n"
      "Param1=value1\n"
      "host:example.amazonaws.com\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "host;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, "
      "Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11" },
  { "post-x-www-form-urlencoded",
    "POST", "example.amazonaws.com", "/",
    { { NULL, NULL } },
    { { "Content-Type", "application/x-www-form-urlencoded" }, { "Content-Length", "13" }, { "x-amz-content-sha256", "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e" } },
    "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
    "POST\n"
      "/\n"
      "\n"
      "content-length:13\n"
      "content-type:application/x-www-form-urlencoded\n"
      "host:example.amazonaws.com\n"
      "x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\n"
      "x-amz-date:20150830T123600Z\n"
      "\n"
      "content-length;content-type;host;x-amz-content-sha256;x-amz-date\n"
      "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
    "AWS4-HMAC-SHA256\n"
      "20150830T123600Z\n"
      "20150830/us-east-1/service/aws4_request\n"
      "b1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, "
      "Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b" },
};

static GDateTime *
suite_time (void)
{
  return g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
}

static gsize
count_pairs (const SendoffSigv4Pair *pairs)
{
  gsize n = 0;

  while (n < MAX_PAIRS && pairs[n].name != NULL)
    n++;
  return n;
}

static void
test_suite (void)
{
  const SendoffSigv4Key key = {
    "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service",
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      const Vector *v = &vectors[i];
      g_autofree char *path = sendoff_sigv4_uri_encode (v->path, TRUE);
      g_autoptr(GDateTime) time = suite_time ();
      g_autofree char *canonical = NULL;
      g_autofree char *to_sign = NULL;
      g_autofree char *authorization = NULL;
      g_autofree char *amz_date = NULL;
      SendoffSigv4Request request = {
        v->method, v->host, path,
        v->query, count_pairs (v->query),
        v->headers, count_pairs (v->headers),
        v->payload_hash,
      };

      g_test_message ("%s", v->name);
      canonical = sendoff_sigv4_canonical_request (&request, "20150830T123600Z");
      g_assert_cmpstr (canonical, ==, v->canonical_request);
      to_sign = sendoff_sigv4_string_to_sign (&key, "20150830T123600Z", canonical);
      g_assert_cmpstr (to_sign, ==, v->string_to_sign);
      authorization = sendoff_sigv4_sign (&key, &request, time, &amz_date);
      g_assert_cmpstr (authorization, ==, v->authorization);
      g_assert_cmpstr (amz_date, ==, "20150830T123600Z");
    }
}

/* The same instant in another time zone signs the same: x-amz-date is UTC */
static void
test_time_zone (void)
{
  const SendoffSigv4Key key = {
    "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service",
  };
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("+09:30");
  g_autoptr(GDateTime) time = g_date_time_new (zone, 2015, 8, 30, 22, 6, 0);
  g_autofree char *authorization = NULL;
  g_autofree char *amz_date = NULL;
  SendoffSigv4Request request = {
    "GET", "example.amazonaws.com", "/", NULL, 0, NULL, 0, SENDOFF_SIGV4_EMPTY_PAYLOAD,
  };

  authorization = sendoff_sigv4_sign (&key, &request, time, &amz_date);
  g_assert_cmpstr (amz_date, ==, "20150830T123600Z");
  g_assert_cmpstr (authorization, ==, vectors[0].authorization);
}

/* ---- the examples of the S3 documentation -----------------------------
 *
 * "Authenticating Requests: Using the Authorization Header" (GET Object)
 * and "Authenticating Requests: Using Query Parameters", Amazon S3 API
 * Reference, sigv4-auth-using-authorization-header.html and
 * sigv4-query-string-auth.html: key AKIAIOSFODNN7EXAMPLE /
 * wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, us-east-1, 20130524T000000Z.
 * Debian's python3-botocore (S3SigV4Auth, S3SigV4QueryAuth) computes the
 * same values. */

static const SendoffSigv4Key s3_doc_key = {
  "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3",
};

static void
test_s3_get_object (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2013, 5, 24, 0, 0, 0);
  const SendoffSigv4Pair headers[] = {
    { "Range", "bytes=0-9" },
    { "x-amz-content-sha256", SENDOFF_SIGV4_EMPTY_PAYLOAD },
  };
  SendoffSigv4Request request = {
    "GET", "examplebucket.s3.amazonaws.com", "/test.txt", NULL, 0,
    headers, G_N_ELEMENTS (headers), SENDOFF_SIGV4_EMPTY_PAYLOAD,
  };
  g_autofree char *canonical = sendoff_sigv4_canonical_request (&request, "20130524T000000Z");
  g_autofree char *to_sign = NULL;
  g_autofree char *authorization = NULL;

  g_assert_cmpstr (canonical, ==,
                   "GET\n/test.txt\n\n"
                   "host:examplebucket.s3.amazonaws.com\n"
                   "range:bytes=0-9\n"
                   "x-amz-content-sha256:" SENDOFF_SIGV4_EMPTY_PAYLOAD "\n"
                   "x-amz-date:20130524T000000Z\n\n"
                   "host;range;x-amz-content-sha256;x-amz-date\n"
                   SENDOFF_SIGV4_EMPTY_PAYLOAD);
  to_sign = sendoff_sigv4_string_to_sign (&s3_doc_key, "20130524T000000Z", canonical);
  g_assert_cmpstr (to_sign, ==,
                   "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                   "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  authorization = sendoff_sigv4_sign (&s3_doc_key, &request, time, NULL);
  g_assert_cmpstr (authorization, ==,
                   "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                   "aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                   "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

static void
test_s3_presign_example (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2013, 5, 24, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = sendoff_sigv4_presign (&s3_doc_key, "GET", "https://examplebucket.s3.amazonaws.com",
                               "/test.txt", NULL, 0, 86400, time, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==,
                   "https://examplebucket.s3.amazonaws.com/test.txt"
                   "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                   "&X-Amz-Date=20130524T000000Z"
                   "&X-Amz-Expires=86400"
                   "&X-Amz-SignedHeaders=host"
                   "&X-Amz-Signature="
                   "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

/* A key with every awkward byte and a signed download name, on a local
 * endpoint with a port. Expected signature computed independently with
 * python3-botocore 1.29 (S3SigV4QueryAuth, same key and time, 3600 s). */
static void
test_presign_hostile_key (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2013, 5, 24, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = sendoff_sigv4_uri_encode ("/bucket/a b+c%d~e/\xf0\x9f\x98\x80.txt", TRUE);
  g_autofree char *url = NULL;
  g_autofree char *tampered = NULL;
  const SendoffSigv4Pair query[] = {
    { "response-content-disposition", "attachment; filename*=UTF-8''%F0%9F%98%80.txt" },
  };
  const SendoffSigv4Pair other[] = {
    { "response-content-disposition", "attachment; filename*=UTF-8''evil.exe" },
  };

  g_assert_cmpstr (key, ==, "/bucket/a%20b%2Bc%25d~e/%F0%9F%98%80.txt");
  url = sendoff_sigv4_presign (&s3_doc_key, "GET", "http://127.0.0.1:7480", key,
                               query, G_N_ELEMENTS (query), 3600, time, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==,
                   "http://127.0.0.1:7480/bucket/a%20b%2Bc%25d~e/%F0%9F%98%80.txt"
                   "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                   "&X-Amz-Date=20130524T000000Z"
                   "&X-Amz-Expires=3600"
                   "&X-Amz-SignedHeaders=host"
                   "&response-content-disposition="
                   "attachment%3B%20filename%2A%3DUTF-8%27%27%25F0%259F%2598%2580.txt"
                   "&X-Amz-Signature="
                   "3c20997be25332d22f5b54571004926e79513140b801eae199aaa92c87b5e488");

  /* The download name is signed: another one is another signature */
  tampered = sendoff_sigv4_presign (&s3_doc_key, "GET", "http://127.0.0.1:7480", key,
                                    other, G_N_ELEMENTS (other), 3600, time, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (strstr (tampered, "X-Amz-Signature="), !=, strstr (url, "X-Amz-Signature="));
}

static void
test_presign_multipart_part (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 11, 29, 23, 59, 59);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *max = NULL;
  const SendoffSigv4Pair query[] = {
    { "uploadId", "2~abc+/=" },
    { "partNumber", "10000" },
  };

  url = sendoff_sigv4_presign (&s3_doc_key, "PUT", "https://S3.Example.COM:443/", "/b/k",
                               query, G_N_ELEMENTS (query), 1, time, &error);
  g_assert_no_error (error);
  /* Default port dropped, host in lower case, parameters sorted and encoded */
  g_assert_true (g_str_has_prefix (url, "https://s3.example.com/b/k?X-Amz-Algorithm="));
  g_assert_nonnull (strstr (url, "&X-Amz-Date=20261129T235959Z&X-Amz-Expires=1&"));
  g_assert_nonnull (strstr (url, "&X-Amz-SignedHeaders=host&partNumber=10000"
                                 "&uploadId=2~abc%2B%2F%3D&X-Amz-Signature="));

  max = sendoff_sigv4_presign (&s3_doc_key, "GET", "https://h", "/k", NULL, 0,
                               SENDOFF_SIGV4_MAX_EXPIRES, time, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (max, "&X-Amz-Expires=604800&"));
}

static void
test_presign_bad_origin (void)
{
  const char *origins[] = {
    "", "s3.example.com", "ftp://s3.example.com", "https://", "https://h/bucket",
    "https://user:pw@h", "https://h/?x=1", "https://h/#f", "https://h:99999",
  };
  g_autoptr(GDateTime) time = g_date_time_new_utc (2013, 5, 24, 0, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;

      url = sendoff_sigv4_presign (&s3_doc_key, "GET", origins[i], "/k", NULL, 0, 60, time,
                                   &error);
      g_assert_null (url);
      g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
    }
}

/* ---- encoding ---------------------------------------------------------- */

static void
test_uri_encode (void)
{
  const struct {
    const char *in;
    gboolean    keep_slash;
    const char *out;
  } cases[] = {
    { "", FALSE, "" },
    { "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", FALSE,
      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" },
    { "a b", FALSE, "a%20b" },
    { "a+b", FALSE, "a%2Bb" },
    { "100%", FALSE, "100%25" },
    { "%20", FALSE, "%2520" },
    { "~user", FALSE, "~user" },
    { "\xf0\x9f\x98\x80.txt", FALSE, "%F0%9F%98%80.txt" },
    { "caf\xc3\xa9", FALSE, "caf%C3%A9" },
    { "bad\xff\xfe\x80", FALSE, "bad%FF%FE%80" },
    { "\x01\x1f\x7f", FALSE, "%01%1F%7F" },
    { "!*'();:@&=$,?#[]\"<>\\^`{|}", FALSE,
      "%21%2A%27%28%29%3B%3A%40%26%3D%24%2C%3F%23%5B%5D%22%3C%3E%5C%5E%60%7B%7C%7D" },
    { "dir/sub dir/f.txt", TRUE, "dir/sub%20dir/f.txt" },
    { "dir/sub dir/f.txt", FALSE, "dir%2Fsub%20dir%2Ff.txt" },
    { "//a//", TRUE, "//a//" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = sendoff_sigv4_uri_encode (cases[i].in, cases[i].keep_slash);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_host_for_uri (void)
{
  const struct {
    const char *uri;
    const char *host;
  } cases[] = {
    { "https://s3.example.com/b/k", "s3.example.com" },
    { "https://s3.example.com:443/b/k", "s3.example.com" },
    { "http://127.0.0.1:80/b", "127.0.0.1" },
    { "http://127.0.0.1:7480/b", "127.0.0.1:7480" },
    { "https://s3.example.com:80/b", "s3.example.com:80" },
    { "http://[::1]:7480/b", "[::1]:7480" },
    { "https://BUCKET.S3.Example.com/k", "bucket.s3.example.com" },
    { "https://b\xc3\xbc" "cher.example/k", "xn--bcher-kva.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (cases[i].uri, SOUP_HTTP_URI_FLAGS, NULL);
      g_autofree char *host = NULL;

      g_assert_nonnull (uri);
      host = sendoff_sigv4_host_for_uri (uri);
      g_assert_cmpstr (host, ==, cases[i].host);
    }
}

/* ---- a signed SoupMessage, checked by a server ----------------------
 *
 * An in-process server recomputes the signature from what actually
 * arrived (Host, path, query, the signed headers, the body), as S3 does:
 * what libsoup sends must be what was signed, including a non-default
 * port in Host. */

typedef struct {
  const SendoffSigv4Key *key;
  const char            *raw_path;      /* the key's bytes, unencoded */
  char                  *host_seen;
  guint                  verified;
  guint                  refused;
} Verifier;

static GDateTime *
parse_amz_date (const char *text)
{
  int y, mo, d, h, mi, s;

  if (text == NULL || strlen (text) != 16 ||
      sscanf (text, "%4d%2d%2dT%2d%2d%2dZ", &y, &mo, &d, &h, &mi, &s) != 6)
    return NULL;
  return g_date_time_new_utc (y, mo, d, h, mi, s);
}

static gboolean
verify (Verifier          *verifier,
        SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *payload_hash = soup_message_headers_get_one (headers, "x-amz-content-sha256");
  g_autoptr(GDateTime) time = parse_amz_date (soup_message_headers_get_one (headers, "x-amz-date"));
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *body_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) query = g_array_new (FALSE, TRUE, sizeof (SendoffSigv4Pair));
  g_autoptr(GArray) signed_headers = g_array_new (FALSE, TRUE, sizeof (SendoffSigv4Pair));
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) params = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *path = NULL;
  const char *list;
  SendoffSigv4Request request = { 0 };

  g_free (verifier->host_seen);
  verifier->host_seen = g_strdup (soup_message_headers_get_one (headers, "Host"));
  if (authorization == NULL || time == NULL || payload_hash == NULL ||
      strcmp (payload_hash, body_hash) != 0 ||
      strcmp (g_uri_get_path (uri), verifier->raw_path) != 0 ||
      (list = strstr (authorization, "SignedHeaders=")) == NULL)
    return FALSE;

  names = g_strsplit (list + strlen ("SignedHeaders="), ";", -1);
  *strchr (names[g_strv_length (names) - 1], ',') = '\0';
  for (guint i = 0; names[i] != NULL; i++)
    {
      SendoffSigv4Pair pair = { names[i], soup_message_headers_get_one (headers, names[i]) };

      if (strcmp (names[i], "host") != 0 && strcmp (names[i], "x-amz-date") != 0)
        g_array_append_val (signed_headers, pair);
    }

  params = g_strsplit (g_uri_get_query (uri) ? g_uri_get_query (uri) : "", "&", -1);
  for (guint i = 0; params[i] != NULL && *params[i] != '\0'; i++)
    {
      char *eq = strchr (params[i], '=');
      SendoffSigv4Pair pair;

      if (eq != NULL)
        *eq = '\0';
      pair.name = g_uri_unescape_string (params[i], NULL);
      pair.value = g_uri_unescape_string (eq != NULL ? eq + 1 : "", NULL);
      g_ptr_array_add (strings, (char *) pair.name);
      g_ptr_array_add (strings, (char *) pair.value);
      g_array_append_val (query, pair);
    }

  request.method = soup_server_message_get_method (msg);
  request.host = verifier->host_seen;
  /* SoupServer hands the path decoded; S3 encodes it again to check */
  path = sendoff_sigv4_uri_encode (g_uri_get_path (uri), TRUE);
  request.path = path;
  request.query = (const SendoffSigv4Pair *) query->data;
  request.n_query = query->len;
  request.headers = (const SendoffSigv4Pair *) signed_headers->data;
  request.n_headers = signed_headers->len;
  request.payload_hash = payload_hash;
  expected = sendoff_sigv4_sign (verifier->key, &request, time, NULL);
  return g_strcmp0 (expected, authorization) == 0;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Verifier *verifier = user_data;

  if (verify (verifier, msg))
    {
      verifier->verified++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else
    {
      verifier->refused++;
      soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
    }
}

static void
send_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GBytes **bytes = user_data;
  g_autoptr(GError) error = NULL;

  *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static guint
send_signed (SoupSession           *session,
             const SendoffSigv4Key *key,
             const char            *url,
             const char            *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  soup_message_set_request_body_from_bytes (msg, "text/plain; charset=utf-8", bytes);
  soup_message_headers_replace (headers, "Content-Disposition",
                                "attachment; filename*=UTF-8''a%20%20b.txt");
  soup_message_headers_replace (headers, "x-amz-meta-note", "  two   spaces  ");
  soup_message_headers_replace (headers, "User-Agent", "not signed");
  g_assert_true (sendoff_sigv4_sign_message (key, msg, hash, now, &error));
  g_assert_no_error (error);
  /* Signing again (a retry) replaces the signature instead of adding one */
  g_assert_true (sendoff_sigv4_sign_message (key, msg, hash, now, &error));

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_done, &answer);
  while (answer == NULL)
    g_main_context_iteration (NULL, TRUE);
  return soup_message_get_status (msg);
}

static void
test_sign_message (void)
{
  const SendoffSigv4Key key = {
    "SENDOFFTESTKEY", "sendoff/test+secret", "garage", "s3",
  };
  const SendoffSigv4Key wrong = {
    "SENDOFFTESTKEY", "sendoff/test+secreT", "garage", "s3",
  };
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  /* Loopback: no proxy resolver (libproxy) to go through */
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(GError) error = NULL;
  const char *raw_path = "/bucket/sendoff/t1/dir/a b+c%d~e/\xf0\x9f\x98\x80 \xff.txt";
  g_autofree char *path = sendoff_sigv4_uri_encode (raw_path, TRUE);
  g_autofree char *url = NULL;
  g_autofree char *port_host = NULL;
  Verifier verifier = { &key, raw_path, NULL, 0, 0 };
  GSList *uris;
  guint port;

  soup_server_add_handler (server, NULL, server_callback, &verifier, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  port_host = g_strdup_printf ("127.0.0.1:%u", port);

  url = g_strdup_printf ("http://%s%s?uploadId=a%%2Bb%%2Fc%%3D&partNumber=3&uploads",
                         port_host, path);
  g_assert_cmpuint (send_signed (session, &key, url, "hello, bucket"), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (verifier.host_seen, ==, port_host);
  g_assert_cmpuint (verifier.verified, ==, 1);

  /* The server does notice a wrong secret (the check above can fail) */
  g_assert_cmpuint (send_signed (session, &wrong, url, "hello, bucket"), ==,
                    SOUP_STATUS_FORBIDDEN);
  g_assert_cmpuint (verifier.refused, ==, 1);

  g_free (verifier.host_seen);
}

static void
test_sign_message_bad_uri (void)
{
  /* soup_message_new() refuses such a URL; a GUri built by hand does not */
  g_autoptr(GUri) uri = g_uri_build (SOUP_HTTP_URI_FLAGS, "http", NULL, "127.0.0.1", 7480,
                                     "/b/%zz", NULL, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("GET", uri);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  g_assert_false (sendoff_sigv4_sign_message (&s3_doc_key, msg, SENDOFF_SIGV4_EMPTY_PAYLOAD, now,
                                              &error));
  g_assert_error (error, SENDOFF_ERROR, SENDOFF_ERROR_INVALID_INPUT);
  g_assert_null (soup_message_headers_get_one (soup_message_get_request_headers (msg),
                                               "Authorization"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sendoff/sigv4/test-suite", test_suite);
  g_test_add_func ("/sendoff/sigv4/time-zone", test_time_zone);
  g_test_add_func ("/sendoff/sigv4/s3-get-object", test_s3_get_object);
  g_test_add_func ("/sendoff/sigv4/s3-presign-example", test_s3_presign_example);
  g_test_add_func ("/sendoff/sigv4/presign-hostile-key", test_presign_hostile_key);
  g_test_add_func ("/sendoff/sigv4/presign-multipart-part", test_presign_multipart_part);
  g_test_add_func ("/sendoff/sigv4/presign-bad-origin", test_presign_bad_origin);
  g_test_add_func ("/sendoff/sigv4/uri-encode", test_uri_encode);
  g_test_add_func ("/sendoff/sigv4/host-for-uri", test_host_for_uri);
  g_test_add_func ("/sendoff/sigv4/sign-message", test_sign_message);
  g_test_add_func ("/sendoff/sigv4/sign-message-bad-uri", test_sign_message_bad_uri);

  return g_test_run ();
}
