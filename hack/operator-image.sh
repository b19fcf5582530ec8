#!/usr/bin/env bash
# Prints the operator's image reference: the Maven property operator.image (registry/group/name:tag from pom.xml),
# which the container build tags and kubernetes/install/deployment.yaml names. One line, nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

# Maven 3.8 ends the forced output with a colour reset sequence even in batch mode: strip escape sequences and line
# ends so that the result can be used as a tag.
image=$(mvn -B -q org.apache.maven.plugins:maven-help-plugin:3.5.1:evaluate \
    -Dexpression=operator.image -DforceStdout | sed 's/\x1b\[[0-9;]*m//g' | tr -d '\r\n')

case "$image" in
    "" | *" "* | *\$\{*)
        echo "operator-image: could not evaluate operator.image from pom.xml (got '$image')" >&2
        exit 1
        ;;
esac
echo "$image"
