# The dashboard as a container: `docker build -t playground .` then
# `docker run -p 8000:8000 playground` and open http://127.0.0.1:8000/ (docs/DEPLOY.md).
# Its Python is the one in .python-version; its packages are the lock's (requirements.txt);
# it starts the Procfile's command. tests/test_platform.py holds the three in step.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

WORKDIR /app

# Dependencies first, in a layer of their own: a change to the code alone rebuilds only the
# layers below this one.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# The code stays owned by root; the server runs as a user that cannot change it.
RUN useradd --create-home --uid 10001 playground
COPY . .
USER playground

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=4)"]

# gunicorn.conf.py binds 0.0.0.0:$PORT and reads WEB_CONCURRENCY and the other settings.
CMD ["gunicorn", "dashboard.app:server"]
