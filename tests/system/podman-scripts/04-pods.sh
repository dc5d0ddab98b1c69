# A pod of two containers sharing the network namespace, as in podman's pod tutorial.
podman pod create --name app >/dev/null
podman run -d --pod app --name app-db busybox sleep 1000 >/dev/null
podman run -d --pod app --name app-web busybox sleep 1000 >/dev/null
podman pod ps --format '{{.Name}} {{.Status}} {{.NumberOfContainers}}'
podman ps --format '{{.Names}} {{.PodName}}' --filter pod=app --filter name=app- --sort names
podman ps --pod --format '{{.Names}} {{.PodName}}' --filter name=app- --sort names
a=$(podman exec app-db readlink /proc/self/ns/net)
b=$(podman exec app-web readlink /proc/self/ns/net)
[ "$a" = "$b" ] && echo "one network namespace"
podman pod inspect app --format '{{.Name}} {{.NumContainers}}'
# podman lists the shared namespaces in no fixed order
podman pod inspect app --format '{{range .SharedNamespaces}}{{.}} {{end}}' | tr ' ' '\n' | sort | tr '\n' ' '; echo
podman pod stop -t 0 app >/dev/null
podman pod ps --format '{{.Name}} {{.Status}}'
podman pod rm app >/dev/null
podman pod exists app; echo "pod exists after rm: $?"
podman ps -a --format '{{.Names}}' | wc -l
