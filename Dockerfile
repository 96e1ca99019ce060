# NvrBlazor image. It repeats exactly the steps ./test.sh proves on every CI run: the same
# `dotnet publish` of NvrBlazor.Web, the same apt packages (ffmpeg, and libjpeg-turbo: libturbojpeg0 on Debian, libturbojpeg on this Ubuntu base)
# and the same model installer (tools/models/install-models.sh, on Debian 12 as on our machines). It cannot be built on our
# own machines (no Docker engine there), which is why those steps are kept identical.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
COPY . .
RUN dotnet build NvrBlazor.Web/NvrBlazor.Web.csproj -c Release \
 && dotnet publish NvrBlazor.Web/NvrBlazor.Web.csproj -c Release -o /app --no-build

# The detection models, fetched and converted exactly as ./test.sh and ./run.sh do (docs/detection.md).
FROM debian:12 AS models
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm python3-onnx python3-numpy ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY tools/models /tools/models
RUN /tools/models/install-models.sh /models

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble
# curl only serves the HEALTHCHECK below.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg libturbojpeg curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
COPY --from=models /models /app/models
RUN mkdir -p /data /recordings && chown "$APP_UID" /data /recordings
ENV Nvr__DataPath=/data \
    Nvr__RecordingsPath=/recordings \
    Nvr__Detection__ModelsPath=/app/models
# The image's built-in non-root user.
USER $APP_UID
VOLUME ["/data", "/recordings"]
EXPOSE 9090 9443
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS http://localhost:9090/healthz > /dev/null || exit 1
ENTRYPOINT ["dotnet", "NvrBlazor.Web.dll"]
