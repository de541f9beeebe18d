#include "wire.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace omni::isolation {

namespace {

bool read_all(int fd, void *dst, size_t n) {
    auto *p = static_cast<char *>(dst);
    while (n) {
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        p += k;
        n -= size_t(k);
    }
    return true;
}

}  // namespace

bool send_all(int fd, const std::string &data) {
    const char *p = data.data();
    size_t n = data.size();
    while (n) {
        ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        p += k;
        n -= size_t(k);
    }
    return true;
}

bool recv_msg(int fd, Msg *type, std::string *body) {
    uint32_t n = 0;
    if (!read_all(fd, &n, 4) || n == 0) return false;
    std::string buf(n, '\0');
    if (!read_all(fd, &buf[0], n)) return false;
    *type = Msg(uint8_t(buf[0]));
    body->assign(buf, 1, std::string::npos);
    return true;
}

}  // namespace omni::isolation
