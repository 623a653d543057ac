/* The API's URI space: path pattern -> one handler per method. */
#ifndef TESTAPI_ROUTE_TABLE_H
#define TESTAPI_ROUTE_TABLE_H

#include "core/testapi_route_match.h"

extern const testapi_route testapi_routes[];

#endif
