# The dashboard in a container: CPU-only PyTorch, the bundled English text model, an
# unprivileged user, a health check, and the workspace (rules and decisions) on a volume.
#   docker build -t label-agreement .
#   docker run -p 8501:8501 -v label-workspace:/data/workspace label-agreement
# Details (sign-in secrets, memory, sizes): docs/deployment.md. MALLOC_ARENA_MAX=2 keeps glibc
# from giving each of Streamlit's script threads its own memory arena (a lower peak RSS).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    LABEL_AGREEMENT_WORKSPACE=/data/workspace \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    MALLOC_ARENA_MAX=2

WORKDIR /app

# CPU-only torch first, from PyTorch's CPU index (the default index would bring the
# multi-GB CUDA build); the pin in requirements.txt is then already met (2.13.0+cpu is 2.13.0).
COPY requirements.txt ./
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && pip install -r requirements.txt \
 && python -c "import torch; assert not torch.version.cuda, 'a CUDA build of torch was installed'"

# Charts are drawn by the browser with its own fonts, so no font package is needed here.
COPY analysis ./analysis
COPY dashboard ./dashboard
COPY sample_data ./sample_data
COPY .streamlit/config.toml ./.streamlit/config.toml
# Bytecode compiled once here: with PYTHONDONTWRITEBYTECODE (and a read-only /app for the
# app user) every start would otherwise compile the project's modules again.
RUN python -m compileall -q analysis dashboard

# The bundled model must load offline, or the image is useless: fail the build instead.
RUN python -c "from analysis.embeddings import bundled_model_dir; assert (bundled_model_dir() / 'config.json').is_file()"

RUN useradd --create-home --uid 10001 app \
 && mkdir -p /data/workspace \
 && chown -R app:app /data
USER app
VOLUME ["/data/workspace"]

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"

CMD ["python", "-m", "streamlit", "run", "dashboard/app.py", \
     "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
