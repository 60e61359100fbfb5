# Prize Portal container: one static binary that runs `portal serve` against an external
# Postgres given by DATABASE_URL. Build: docker build -t prize-portal --build-arg VERSION=$(git describe --always) .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
COPY migrations ./migrations
COPY web ./web
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X prizeportal/internal/app.Version=${VERSION}" -o /out/portal ./cmd/portal

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/portal /usr/local/bin/portal
ENV PORTAL_ENV=production \
    PORTAL_ADDR=:8080
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/portal"]
CMD ["serve"]
