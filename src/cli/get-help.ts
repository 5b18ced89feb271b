/** GET_HELP is the text of `courier get --help`, grouped as curl users look for things. */
export const GET_HELP = `courier get: make an HTTP request and print the response body

Usage: courier get URL [options]
  URL may omit http:// ; :8000/path means http://localhost:8000/path

Request:
  -X, --request METHOD       method to use (default GET, or POST with a body, PUT with -T)
  -H, --header 'N: v'        add or replace a header; 'N:' removes it, 'N;' sends it empty
  -A, --user-agent TEXT      User-Agent to send (default courier/VERSION)
  -e, --referer URL          Referer to send
  -u, --user USER[:PASS]     basic authentication (asks for PASS on a terminal)
  -b, --cookie FILE|'a=1'    send cookies from a cookie-jar file, or a 'name=value; ...' string
  -c, --cookie-jar FILE      write all cookies to FILE afterwards (Netscape format, as curl)
  -r, --range RANGE          ask for part of the body: 0-99, 100-, -500
  -I, --head                 send HEAD and print the response head
  -G, --get                  put -d data in the URL query and send GET
      --url URL              the URL, as an option
      --request-target T     send T as the request-target (e.g. an absolute URL or *)
      --http1.0              send an HTTP/1.0 request line
      --http1.1              speak HTTP/1.1 only (https offers h2 by ALPN otherwise)
      --http2                HTTP/2 through ALPN on https (the default)
      --http2-prior-knowledge  HTTP/2 without asking first: h2c on http://
      --compressed           ask for gzip, deflate or br and decode the body

Body (- reads stdin):
  -d, --data DATA            form body; @file reads a file without CR/LF (repeatable, joined by &)
      --data-binary DATA     like -d, @file sent byte for byte
      --data-raw DATA        like -d, no @file
      --data-urlencode DATA  'text', 'name=text', 'name@file': URL-encoded, joined by &
      --json JSON            JSON body (@file); sets Content-Type and Accept
  -F, --form name=value      multipart form field; name=@path attaches a file (repeatable)
  -T, --upload-file FILE     PUT the file (or - for stdin, sent chunked)

Output (- is stdout):
  -o, --output FILE          write the body to FILE (a progress bar shows on a terminal)
  -O, --remote-name          write the body to a file named like the URL's last segment
  -C, --continue-at N|-      resume a download at byte N, or "-" for the size of the output file
  -i, --include              print each response head before the body
  -D, --dump-header FILE     write each response head to FILE
  -w, --write-out FORMAT     print FORMAT afterwards: %{http_code} %{time_total} %{size_download}
                             %{url_effective} %{remote_ip} ... (see README); @file reads it
  -v, --verbose              print connection, TLS and request (>) / response (<) heads on stderr
      --trace                print every byte sent and received on stderr, CR and LF escaped
      --timing               print DNS, connect, TLS, first byte and total times on stderr

Connection:
  -x, --proxy URL            use this HTTP proxy (default: HTTP_PROXY / HTTPS_PROXY / NO_PROXY)
      --unix-socket PATH     connect to a Unix socket instead of the URL's host
      --resolve H:P:ADDR     connect to ADDR for host H port P (repeatable)
  -4, --ipv4 / -6, --ipv6    resolve names to IPv4 / IPv6 addresses only
  -m, --max-time SECONDS     give up on the whole exchange after SECONDS (also --timeout)
      --connect-timeout S    give up connecting after S seconds (default 10)

TLS:
  -k, --insecure             do not verify the server's certificate
      --cacert FILE          trust the CA certificates in FILE (PEM)

Behaviour:
  -L, --location             follow redirects (the default)
      --no-follow            do not follow redirects
      --max-redirs N         follow at most N redirects (default 20)
  -f, --fail                 exit 22 without printing the body when the status is 400 or more
      --fail-with-body       exit 22 when the status is 400 or more, after printing the body
      --retry N              retry timeouts and 408/429/500/502/503/504 N times (Retry-After,
                             else 1 s doubling); --retry-connrefused retries refusals too
      --lenient              accept responses whose lines end with a bare LF
  -s, --silent               no progress bar, no error messages (-sS shows errors)
  -S, --show-error           show errors even with -s
  -h, --help                 print this help
  -V, --version              print the version

Exit codes: 0 ok, 1 other error, 2 usage, 3 bad URL, 6 DNS, 7 connect, 8 bad response,
18 partial body, 22 HTTP error with --fail, 23 write error, 26 read error, 28 timeout, 35 TLS,
47 too many redirects, 52 empty reply, 56 connection lost, 61 bad content encoding, 97 proxy.
`;
