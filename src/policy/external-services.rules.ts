// External online services: the service administrators of the ministry that owns a service register its OpenID
// client, change it, rotate its secret, disable and enable it (DOMAIN.md: « register, change, disable an external
// service's client »).
import { serviceAdminOf } from "./access-requests.rules.js";

export const externalServiceRules = {
  "externalService.manage": serviceAdminOf,
} as const;
