# The p1ctl container image, for CI systems that run steps in containers.
# GoReleaser builds it (dockers_v2 in .goreleaser.yaml) from the release
# binaries: the build context holds linux/amd64/p1ctl and linux/arm64/p1ctl,
# so a plain `docker build .` of the repository does not work.
#
# distroless/static: CA certificates, /etc/passwd with the nonroot user
# (65532), tzdata, and nothing else: no shell, no package manager. p1ctl is
# a static (CGO_ENABLED=0) binary.
FROM gcr.io/distroless/static-debian12:nonroot
ARG TARGETPLATFORM
COPY $TARGETPLATFORM/p1ctl /usr/bin/p1ctl
COPY LICENSE /usr/share/doc/p1ctl/LICENSE
# Tokens are cached in the user cache directory, $HOME/.cache/p1ctl.
ENV HOME=/home/nonroot
USER 65532:65532
WORKDIR /home/nonroot
ENTRYPOINT ["/usr/bin/p1ctl"]
CMD ["--help"]
