# Prospect: multi-stage build on Debian 12. The build stage reuses
# scripts/setup for its packages; the runtime stage keeps only the libraries.
FROM debian:12 AS build
WORKDIR /src
COPY scripts/setup scripts/setup
RUN bash scripts/setup
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j"$(nproc)"

FROM debian:12-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libjansson4 libcurl4 libmicrohttpd12 libxml2 libpcre2-8-0 libsqlite3-0 libpsl5 publicsuffix \
      libstemmer0d libutf8proc2 libxxhash0 zlib1g libphonenumber8 libssl3 libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /data prospect && mkdir -p /data \
    && chown prospect /data
COPY --from=build /src/build/prospect /usr/local/bin/prospect
COPY --from=build /src/build/sample-corpus /usr/local/share/prospect/sample-corpus
USER prospect
WORKDIR /data
ENV PROSPECT_DB=/data/prospect.db PROSPECT_BIND=0.0.0.0 MCP_SERVER_PORT=5001 \
    PROSPECT_SAMPLE_CORPUS=/usr/local/share/prospect/sample-corpus
EXPOSE 5001
HEALTHCHECK --interval=30s --timeout=3s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5001 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ok <&3"]
ENTRYPOINT ["prospect"]
CMD ["serve"]
