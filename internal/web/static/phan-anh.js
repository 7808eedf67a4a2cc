// The feedback forms' proof of work: before the form is sent, find a number
// whose SHA-256 with the server's challenge starts with the required zero
// bits (a fraction of a second), and put it in the form. Nothing to see or
// do for the person filling the form; without JavaScript the form is still
// accepted, at a stricter rate.
(function () {
  'use strict';
  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
  var W = new Int32Array(64);

  // sha256 of an ASCII string (challenges and nonces are ASCII); returns
  // the first word of the digest, enough to count leading zero bits up to 32.
  function sha256first(s) {
    var n = s.length, words = ((n + 9 + 63) >> 6) << 4, m = new Int32Array(words), i;
    for (i = 0; i < n; i++) m[i >> 2] |= s.charCodeAt(i) << (24 - (i & 3) * 8);
    m[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
    m[words - 1] = n * 8;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a,
      h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var off = 0; off < words; off += 16) {
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7, t1, t2, x, y;
      for (i = 0; i < 64; i++) {
        if (i < 16) W[i] = m[off + i];
        else {
          x = W[i - 15]; y = W[i - 2];
          W[i] = (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + W[i - 7] +
            (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + W[i - 16];
        }
        t1 = h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + W[i];
        t2 = (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    return h0 >>> 0;
  }

  function solve(challenge, bits, done) {
    var limit = bits >= 32 ? 0 : Math.pow(2, 32 - bits), n = 0;
    (function chunk() {
      for (var end = n + 20000; n < end; n++) {
        if (sha256first(challenge + ':' + n) < limit) { done(String(n)); return; }
      }
      setTimeout(chunk, 0); // keep the page responsive
    })();
  }

  document.querySelectorAll('form[data-pow]').forEach(function (form) {
    var bits = parseInt(form.getAttribute('data-pow'), 10) || 0;
    var nonce = form.querySelector('input[name="pow_nonce"]');
    var challenge = form.querySelector('input[name="pow_challenge"]');
    var status = form.querySelector('.trang-thai-gui');
    var busy = false;
    form.addEventListener('submit', function (ev) {
      if (bits <= 0 || !nonce || !challenge || nonce.value !== '') return;
      ev.preventDefault();
      if (busy) return;
      busy = true;
      if (status) status.textContent = form.getAttribute('data-pow-wait') || '';
      solve(challenge.value, bits, function (n) {
        nonce.value = n;
        form.submit();
      });
    });
  });
})();
