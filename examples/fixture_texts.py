"""TASK.txt and GAPS.txt of the convex-evals evals the example generators use, verbatim.

From get-convex/convex-evals (Apache License 2.0). Shared by `build_examples.py`
and `build_fixture_runs.py` so each text is written once.
"""

TASKS: dict[str, str] = {}
GAPS: dict[str, str] = {}

TASKS["000-fundamentals/000-empty_functions"] = """\
Write a backend that has six empty functions in `index.ts`:

1. A public query called `emptyPublicQuery`.
2. A public mutation called `emptyPublicMutation`.
3. A public action called `emptyPublicAction`.
4. A private query called `emptyPrivateQuery`.
5. A private mutation called `emptyPrivateMutation`.
6. A private action called `emptyPrivateAction`.

All six of these functions take in no arguments and return null."""

TASKS["000-fundamentals/002-basic_http_endpoint"] = """\
Create a backend with only two HTTP routes.

1) GET `/api/hello`
   - Read the request body as text (treat missing/empty body as empty string)
   - Respond with the body text concatenated with the literal string "there"
   - Examples:
     - body: "" -> response: "there"
     - body: "hello" -> response: "hellothere"
   - Set `Content-Type: text/plain`

2) POST any path under `/api/messages/` (for example, `/api/messages/123`)
   - Return HTTP 200 with an empty response body
   - This route should match any path under `/api/messages/`. In Convex, use `pathPrefix: "/api/messages/"`."""

TASKS["000-fundamentals/003-crons"] = """\
Create a cron job demo for Convex that demonstrates all available scheduling patterns.

Start by implementing a single `emptyAction` internal action in `crons.ts` that takes
in an optional `scheduleDescription` string, logs it to the console, and returns null.

Call this action every second using the `interval` syntax. Pass an empty argument
object so the optional `scheduleDescription` is omitted.
Label this cron job "run every second".

Next, call this action every minute using the `interval` syntax.
Label this cron job "run every minute", and pass that in as an argument.

Next, call this action every hour using the `interval` syntax.
Label this cron job "run every hour", and pass that in as an argument.

Finally, call this action every month on the 11th day at 1pm UTC using the `cron` syntax.
Label this cron job "run every month on the 11th day at 1pm UTC", and pass that in as an argument.
"""

TASKS["000-fundamentals/004-scheduler"] = """\
Create a demo that demonstrates all of the ways to interact with the scheduler in Convex.

Start by implementing two internal logging functions in `index.ts`:
- An internal mutation `logMutation` that takes a message string argument named "message" and logs it
- An internal action `logAction` that takes a message string argument named "message" and logs it

Then create two public caller functions in `index.ts` to demonstrate scheduler functionality:

1. Create a mutation called `callerMutation` that demonstrates:
   - Takes no arguments
   - Scheduling the logging mutation to run immediately (with runAfter and 0 delay)
   - Canceling a scheduled task using the returned scheduler ID
   - Scheduling the logging action to run 10 seconds in the future using runAt
   - Returning null.

2. Create an action called `callerAction` that demonstrates:
   - Takes no arguments
   - Scheduling the logging action to run after a random delay between 0-10 seconds
   - Scheduling the logging mutation to run immediately and then canceling it
   - Returning null.

All scheduled tasks should call the logging functions with the message "Hello, world!"."""

TASKS["000-fundamentals/005-function_calling"] = """\
Create a demo that demonstrates all the ways to call functions from other functions in Convex.

Start by implementing three internal callee functions in `convex/index.ts`:
- An internal query `calleeQuery` that takes numbers named "x" and "y" and returns their sum
- An internal mutation `calleeMutation` that takes numbers named "x" and "y" and returns their difference
- An internal action `calleeAction` that takes numbers named "x" and "y" and returns their product

Then create two caller functions in `convex/index.ts`:

1. Create a mutation called `callerMutation` that demonstrates:
   - Takes no arguments
   - Calling the internal query with x=1 and y=2
   - Using the result to call the internal mutation with y=2 (keep the parameter names "x" and "y")
   - Return the final result

2. Create an action called `callerAction` that demonstrates:
   - Takes no arguments
   - Calling the internal query with x=1 and y=2
   - Using the result to call the internal mutation with y=2
   - Using that result to call the internal action with y=2
   - Return the final result"""

TASKS["000-fundamentals/006-database_crud"] = """\
Create a backend for a database CRUD system that manages location data.

Use the following schema at `convex/schema.ts`:
```ts
import { v } from "convex/values";
import { defineSchema, defineTable } from "convex/server";

export default defineSchema({
    locations: defineTable({
        name: v.string(),
        latitude: v.number(),
        longitude: v.number(),
    })
})
```

Implement the following functions in `convex/public.ts`:

1. Create a mutation `createLocation` that:
   - Takes arguments named `name` (string), `latitude` (number), and `longitude` (number)
   - Inserts a new location into the "locations" table
   - Returns the new location's ID

2. Create a query `readLocation` that:
   - Takes a location ID argument named `id`
   - Returns either null or the object containing the location's name, latitude, longitude, and its system fields
   - Use proper union typing for the return value

3. Create a mutation `updateLocation` that:
   - Takes arguments named `id`, `name`, `latitude`, and `longitude`
   - Replaces the existing location with new data
   - Throws an error if the location doesn't exist
   - Returns null

4. Create a mutation `patchLocation` that:
   - Takes arguments named `id` and `name`
   - Updates only the name field
   - Returns null

5. Create a mutation `deleteLocation` that:
   - Takes a location ID argument named `id`
   - Deletes the location from the database, throwing an error if it doesn't exist
   - Returns null"""

TASKS["000-fundamentals/008-helper_fns"] = """\
Create a backend that demonstrates sharing a pure TypeScript helper function between query and mutation functions.

Create this structure in the `convex` directory:

1. Create a schema in `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  items: defineTable({
    name: v.string(),
    quantity: v.number(),
    lastModified: v.number(),
  }),
});
```

2. Create a helper function `getItemData` in `convex/index.ts` that takes an item ID and fetches it from the database, returning a document like:

```ts
{
  name: item.name,
  quantity: item.quantity,
  lastModified: new Date(item.lastModified).toISOString(),
}
```
Return null if item not found, otherwise returns the formatted data

3. Create more functions in `convex/index.ts`:

a. Create a query `getItem` that:
   - Takes an item ID argument with the name "itemId"
   - Uses the shared helper function to retrieve and transform the item from the database
   - Throws an error if item not found

b. Create a mutation `updateItem` that:
   - Takes an item ID argument with the name "itemId" and a new quantity argument with the name "quantity"
   - Updates the item's quantity and lastModified timestamp
   - Retrieves the item via the shared helper function
   - Throws an error if item not found
   - Returns the updated item

Both functions should use the same `getItemData` helper function. Do not create any more functions than the specified ones.

The goal is to demonstrate how pure TypeScript helper functions can be shared between different Convex functions while maintaining type safety and consistent data formatting."""

GAPS["000-fundamentals/008-helper_fns"] = """\
fundamentals, helper_fns:

- Invalid syntax, so it doesn't run.
- It's putting it in `items` and `helpers` instead of all in `index.ts`.
- It isn't doing the fetch inside the helper function, so it isn't testing whether the QueryCtx type is discoverable."""

TASKS["000-fundamentals/009-returns_validator"] = """\
Create a backend that demonstrates defining return data types for Convex queries.

Create this structure in the `convex` directory:

1. Create a schema in `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  posts: defineTable({
    title: v.string(),
    content: v.string(),
    authorId: v.id("users"),
  }),
  users: defineTable({
    name: v.string(),
    email: v.string(),
  }),
});
```

2. Create three query functions in `convex/index.ts`:

a. Create a query `getPost` that:
   - Takes a post ID argument named `postId`
   - Returns the raw document from the "posts" table
   - If the post does not exist, throw an error with the message: "Post not found"

b. Create a query `getPostWithStatus` that:
   - Takes a post ID argument named `postId`
   - Returns a discriminated union type:
     ```ts
     { success: true, post: Doc<"posts"> } |
     { success: false, error: string }
     ```
   - Return `{ success: false, error: "Post not found" }` if the post does not exist
   - Return `{ success: false, error: "Post title cannot be empty" }` if the title is an empty string

c. Create a query `getPostWithAuthor` that:
   - Takes a post ID argument named `postId`
   - Returns an array that contains Doc<"users"> and Doc<"posts">, in this order: `[user, post]`
   - Throw an error with the message: "Post not found" if the post does not exist

Define a return validator for each of them."""

GAPS["000-fundamentals/009-returns_validator"] = """\
fundamentals, returns_validator:

- not returning "as const" for discriminated union types
- covered by guideline: always use `as const` for discriminated union string literals."""

TASKS["001-data_modeling/001-compound_datatypes"] = """\
Create a schema file for a table called `example` that
contains fields with the following types:
- a: { artist: number, tags: string[] }
- b: { x: number, y: number }[]
- c: Record<Id<"example">, { z: bytes }>
- d: Record<string, string>
- e: A discriminated union of `{ type: "a", value: number }` and `{ type: "b", value: string }`
- f: A union of strings and numbers

Only create the `package.json` and `convex/schema.ts` files. Do NOT create any functions."""

TASKS["001-data_modeling/006-literals"] = """\
Create a backend that demonstrates various ways to use literals and unions in a Convex schema.

Given this schema.ts file starter code:
```ts
import { defineSchema, defineTable } from "convex/server";

export default defineSchema({
  configurations: defineTable({
    // Add fields here
  })
});
```

Generate a "convex/schema.ts" file that adds the following fields to the `configurations` table:
- Simple literal
  - environment: "production" string literal
- Union of string literals
  - logLevel: "debug" | "info" | "warn" | "error"
- Union of number literals
  - priority: 1 | 2 | 3
- Union of number literal and boolean
  - enabled: 0 | 1 | false
- Union of different types
  - status: "active" | "inactive" | 0 | 1 | null
- Nested union structure
  - feature: { type: "basic" | "advanced", allowed: boolean }

The goal is to showcase different ways to use literals and unions in Convex schemas and how to properly type functions that interact with these complex types.

Only create the `package.json` and `convex/schema.ts` files. Do NOT create any functions."""

GAPS["001-data_modeling/006-literals"] = """\
data_modeling, literals:

- For some reason, it didn't generate the "package.json" file or "tsconfig.json" file.
- The schema.ts file looks great otherwise.
"""

TASKS["001-data_modeling/007-schema_evolution"] = """\
Create a backend that demonstrates three different types of schema migrations in Convex.

Given this previous schema definition:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  products: defineTable({
    name: v.string(),
    category: v.string(),
    active: v.boolean(),
  }),
});
```

Define a new schema in `convex/schema.ts` that is backwards-compatible with the previous schema.

Make three changes to the schema to demonstrate different types of backwards-compatible schema changes:

1. Add a new `description` field
   - This demonstrates how to safely add a new column.
   - In a real application, you would later set the column value, before making it required

2. Deprecate the `category` field
   - Enable removing the `category` field
   - This is the first step in safely removing a column
   - In a real application, you would later clear the column values, then remove the column

3. Change the `active` field from a boolean to an enum-type list of string literals "active", "inactive", "banned"
   - This demonstrates how to safely transition from a boolean to a list of possible values.

Additionally, create a helper function `migrateProductHelper(product: Doc<"products">): {
   _id: Id<"products">,
   _creationTime: number,
   name: string,
   description: string,
   category: undefined,
   active: "active" | "inactive" | "banned"
}` in `convex/index.ts` that:

1. Sets a default value for the `description` field to "No description"
2. Clears the `category` field
3. Changes the `active` field from a boolean to either "active" or "inactive"

Use this helper function in two API functions:

1. A public mutation `migrateProduct` that takes a productId and patches the product to match the new schema and has no return value
  - Takes arguments: `{ productId: Id<"products"> }`
  - Returns null
2. A public query `getProduct` that takes arguments: `{ productId: Id<"products"> }` and returns the product with the new schema that doesn't include deprecated fields."""

GAPS["001-data_modeling/007-schema_evolution"] = """\
data_modeling, schema_evolution:

- Was returning a value from the `migrateProduct` mutation, maybe the only issue"""

TASKS["001-data_modeling/008-nullable_partial"] = """\
Create a backend that demonstrates different ways of handling optional and nullable fields in a Convex schema.

Create a schema in `convex/schema.ts` that has one table called `optionals`.
The `optionals` table should have three fields to demonstrate three different patterns for optional/nullable fields:
1. `nullable`: Allows either null or string values, but the field must always be present
2. `maybe_nullable`: Allows the field to be null or a string, but the field also might be missing / unset.
3. `maybe`: Allows the field to be either absent or contain a string, but cannot be explicitly null.

No additional functions need to be implemented - this task focuses purely on schema definition and type patterns.

Note that this schema will enforce these constraints:
- Records cannot be inserted without a `nullable` field (must be explicitly null or a string)
- `maybe_nullable` can be omitted, set to null, or set to a string
- `maybe` can be omitted or set to a string, but cannot be explicitly null"""

TASKS["001-data_modeling/009-normalize_json"] = """\
Create a backend that defines a normalized database schema for representing organizational data.
Only create "convex/schema.ts" (you may also include a minimal package.json so dependencies can install).
Normalize this JSON into three tables named exactly: "organizations", "employees", and "departments", using v.id relationships instead of inlined data:
```json
{
  "organizations": [
    {
      "name": "Acme, Inc.",
      "employees": [
        {
          "name": "Jason",
          "department": {
            "name": "Engineering",
            "manager": "Jane"
          },
          "age": 30,
          "email": "jason@example.com",
          "phone": "1234567890",
          "address": {
            "street": "123 Main St",
            "city": "Anytown",
            "state": "CA",
            "zip": "12345"
          }
        },
        {
          "name": "Jane",
          "department": {
            "name": "Engineering",
            "manager": "Jane"
          },
          "email": "jane@example.com",
        }
      ]
    }
  ]
}
```
For employees, the name and email are required, but phone and address are optional.
For departments, the name is required, but manager is optional.

The "departments" table should be searchable by organization (index on organizationId).
The "employees" table should be searchable by email, department, and organization (indexes on email, departmentId, organizationId).
Do not make multi-column or any other additional indexes for now.

Indexes should be named like `by_<field_name>`, e.g. `by_department` for `departmentId` and multiple fields should be combined with an underscore, e.g. `by_department_organization`."""

GAPS["001-data_modeling/009-normalize_json"] = """\
data_modeling, normalize_json:

- None for now"""

TASKS["002-queries/001-single_column_index"] = """\
Write this schema to `convex/schema.ts`:
```
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    email: v.string(),
    name: v.string(),
    age: v.number(),
  }).index("by_email", ["email"]),
});
```

Write a query named `getUserByEmail` in `convex/public.ts` that:
- Takes arguments:  `{ email: string }`
- Efficiently looks up the user by email
- Returns null if no user is found with that email
- Throws an error if there are multiple users with the same email
- Returns all fields for the user if found"""

TASKS["002-queries/004-range_condition"] = """\
Write this schema to `convex/schema.ts`:
```
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  temperatures: defineTable({
    sensorId: v.string(),
    timestamp: v.number(), // Unix timestamp in seconds
    value: v.number(),     // Temperature in Celsius
  }).index("by_sensor_time", ["sensorId", "timestamp"]),
});
```

Write a query named `getSensorReadingsInRange` in `convex/public.ts` that:
- Takes arguments:  `{ sensorId: string, startTime: number, endTime: number }`
- Efficiently gets all readings where:
  * sensorId matches (equality)
  * timestamp is >= startTime (range start)
  * timestamp is <= endTime (range end)
- Returns the readings in increasing chronological order
"""

TASKS["002-queries/007-aggregation"] = """\
Write this schema to `convex/schema.ts`:
```
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  orders: defineTable({
    customerId: v.string(),
    productId: v.string(),
    quantity: v.number(),
    pricePerUnit: v.number(),
  }).index("by_customer", ["customerId"]),
});
```

Write a query named `getCustomerStats` in `convex/public.ts` that:
- Takes arguments:  `{ customerId: string }`
- Returns an object with:
  * totalOrders: number of orders
  * totalItems: sum of all quantities
  * totalSpent: sum of (quantity * pricePerUnit) for all orders
  * averageOrderValue: totalSpent / totalOrders
- All return value fields should be numbers
- You can assume that the number of orders for each customer is small.
- Handle the case where customer has no orders and returns zero for all fields.
- Format monetary values appropriately (2 decimal places)"""

TASKS["002-queries/010-parallel_fetch"] = """\
Write this schema to `convex/schema.ts`:
```
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  // Users and their preferences
  users: defineTable({
    name: v.string(),
    email: v.string(),
  }).index("by_email", ["email"]),
  userPreferences: defineTable({
    userId: v.id("users"),
    theme: v.string(),
    notifications: v.boolean(),
  }).index("by_user", ["userId"]),

  // Posts and their reactions
  posts: defineTable({
    authorId: v.id("users"),
    title: v.string(),
    content: v.string(),
  }).index("by_author", ["authorId"]),
  reactions: defineTable({
    postId: v.id("posts"),
    userId: v.id("users"),
    type: v.union(v.literal("like"), v.literal("heart"), v.literal("celebrate")),
  }).index("by_post", ["postId"]),
});
```

Dont forget to write out the above schema.

Write a query named `getAuthorDashboard` in `convex/public.ts` that:
- Takes arguments:  `{ email: string }`, returning null if the user doesn't exist
- Throws an error if the user exists but its preferences are missing
- Returns an object with this structure:
```ts
{
  user: {
    name: string,
    email: string,
    theme: string,
    notifications: boolean,
  },
  posts: {
    title: string,
    reactionCounts: {
      like: number,
      heart: number,
      celebrate: number,
    },
  }[],
}
```
- Returns the user's 15 most recent posts (by creation time, descending)
- Demonstrates efficient parallel fetching:
  * Fetch preferences and posts in parallel
  * Kicks off reactions fetches as posts are streamed in
  * Queries reactions in parallel"""

TASKS["002-queries/011-denormalize_pagination"] = """\
Create a backend that demonstrates pagination over a denormalized index.

Define the following schema in `convex/schema.ts`:
```ts
import { v } from "convex/values";
import { defineSchema, defineTable } from "convex/server";

export default defineSchema({
  // Main owners table
  owners: defineTable({
    name: v.string(),
    age: v.number(),
  }),

  // Dogs table with denormalized owner name for efficient lookups
  dogs: defineTable({
    name: v.string(),
    breed: v.string(),
    ownerId: v.id("owners"),
    ownerAge: v.number(),
  })
    .index("by_owner", ["ownerId"])
    .index("by_owner_age", ["ownerAge"]),
});
```

Create a query `paginateDogsByOwnerAge` in `convex/index.ts` that:
- Takes arguments:  `{ cursor: string | null, numItems: number }`
- Paginates over the dogs table by the owner's age using the index
- Returns an object with this structure:
```ts
{
  dogs: { name: string, breed: string }[],
  continueCursor: string,
}
```

The goal is to demonstrate how denormalization can be used to create efficient lookups on fields from related tables

Only generate the `paginateDogsByOwnerAge` function in `convex/index.ts`. Do not generate any other functions. Also generate the `package.json` and `convex/schema.ts` files."""

GAPS["002-queries/011-denormalize_pagination"] = """\
data_modeling, denormalize_pagination:

- Pagination is not working at all.
- It's trying to make a cursor manually.
- It's trying to use filter.
- It's trying to use `take` with `numItems` like it's an offset."""

TASKS["002-queries/012-index_and_filter"] = """\
Create a backend that demonstrates using database indexes efficiently while filtering on additional fields.

Write this schema to `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    name: v.string(),
    age: v.number(),
    isDeleted: v.boolean(),
  }).index("by_age", ["age"]),
});
```

Implement the following function in `convex/index.ts`:

1. Create a query `getActiveAdults` that:
   - Takes arguments:  `{ minAge: number }`
   - Uses the "by_age" index to efficiently query all users >= the given age
   - Filters out users where isDeleted is true
   - Returns an array of user names
   - Uses proper typing for the return value

The goal is to show how to apply additional filtering criteria on non-indexed fields

Make sure to use TypeScript types appropriately and include clear error handling if needed.
Only generate the `getActiveAdults` function in `convex/index.ts`. Do not generate any other functions.
Also generate the `package.json` and `convex/schema.ts` files.
"""

TASKS["002-queries/013-async_iterator_filter"] = """\
Create a backend that finds teams with deleted admins using async iteration.

1. Create this schema in `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  teams: defineTable({
    name: v.string(),
    adminId: v.id("users"),
  }),

  users: defineTable({
    name: v.string(),
    deleted: v.boolean(),
  }),
});
```

2. Create a query `getTeamsWithDeletedAdmins` in `convex/index.ts` that:
   - Takes no arguments
   - Uses an async iterator to loop through all teams, checking if the admin user is deleted
   - Returns a list of team IDs that match the criteria.
   - Should not include teams with non-existent admins

The implementation should focus on efficient database access patterns and proper
handling of large result sets through async iteration.

Only generate the `getTeamsWithDeletedAdmins` function in `convex/index.ts`. Do not generate any other functions.
Also generate the `package.json` and `convex/schema.ts` files."""

GAPS["002-queries/013-async_iterator_filter"] = """\
queries, async_iterator_filter:

- covered by guideline: iterate queries with `for await (const row of query)` directly; do not use `.iter()`.
"""

TASKS["002-queries/014-select_distinct"] = """\
Create a backend that implements efficient distinct value selection using index range queries.

Create this structure in the `convex` directory:

1. Create a schema in `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    name: v.string(),
    age: v.number(),
  }).index("by_age", ["age"]),
});
```

2. Create a query function `getDistinctAges` in `convex/index.ts` that:
   - Takes no arguments
   - Uses the "by_age" index to efficiently find distinct age values
   - It should not read every record in the table, but instead skip ahead using the index.
   - Returns an array of numbers representing all distinct age values
   - Should be more efficient than fetching all records and using Set
   - The solution should scale well with large numbers of duplicate age values

The goal is to demonstrate how to efficiently implement DISTINCT-like functionality using Convex's index range queries rather than fetching all records into memory.

Only generate the `getDistinctAges` function in `convex/index.ts`. Do not generate any other functions.
Also generate the `package.json` and `convex/schema.ts` files.
"""

GAPS["002-queries/014-select_distinct"] = """\
queries, select_distinct:

- It's using a filter for .gt instead of the second parameter to withIndex."""

TASKS["002-queries/017-pagination_join"] = """\
Create a backend that joins user data while paginating messages.

Required files:

1. `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  messages: defineTable({
    authorId: v.id("users"),
    content: v.string(),
  }),

  users: defineTable({
    name: v.string(),
  }),
});
```

2. Create a query function `paginateMessagesWithAuthors` in `convex/index.ts` that:
   - Takes arguments:  `{ paginationOpts: { numItems: number, cursor: string | null } }`
   - Paginates messages in descending order (newest first)
   - Adds the author's name to each message as an `author` field (string)
   - Returns the pagination result to be used with usePaginatedQuery.
   - Should be compatible with usePaginatedQuery hook
   - Don't provide a returns validator for this example
   - Throw an error if the author is not found

Each message in the returned page should have this structure:
```ts
{
  _id: Id<"messages">,
  _creationTime: number,
  authorId: Id<"users">,
  content: string,
  author: string,  // The author's name
}
```

Only implement the `paginateMessagesWithAuthors` function in `convex/index.ts`. Do not generate any other functions.

The goal is to demonstrate efficient pagination while joining related data from another table.

Files to create:
- `convex/schema.ts` with the schema above
- `convex/index.ts` with the pagination query
- `package.json` with necessary dependencies"""

GAPS["002-queries/017-pagination_join"] = """\
queries, pagination_join:

- PaginationOpts are still a custom object, and have cursor as optional vs. nullable
- Returning custom object, w/o pageStatus, splitCursor
- covered by guideline: use `paginationOptsValidator` and paginated return shape with `page`, `isDone`, and `continueCursor`."""

TASKS["002-queries/018-pagination_returns_validator"] = """\
Create a backend that implements paginated queries with proper type safety using pagination returns validators.

Required files:

`convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  posts: defineTable({
    title: v.string(),
    content: v.string(),
  }),
});
```

Create a query function `paginatePosts` in `convex/index.ts` that:
- Takes arguments:  `{ paginationOpts: { numItems: number, cursor: string | null } }`
- Paginates posts in the default order
- Must include a proper returns validator that accurately types the pagination result
- Should be compatible with the usePaginatedQuery hook

Files to create:
- `convex/schema.ts` with the schema above
- `convex/index.ts` with the paginated query including returns validator
- `package.json` with necessary dependencies

The focus should be on implementing correct typing and runtime validation for the pagination result structure while maintaining efficient database access patterns."""

GAPS["002-queries/018-pagination_returns_validator"] = """\
queries, pagination_returns_validator:

- Beyond regular pagination struggles, the returns validator doesn't include the `splitCursor` or `pageStatus` fields.
- covered by guideline: use `paginationResultValidator(itemValidator)` and the paginated return fields `page`, `isDone`, `continueCursor`.
"""

TASKS["002-queries/019-no_scheduler"] = """\
Create a backend that demonstrates reading data and asynchronous logging.

Required files:

`convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  documents: defineTable({
    title: v.string(),
    content: v.string(),
  }),

  accessLogs: defineTable({
    documentId: v.id("documents"),
    action: v.string(),
  }),
});
```

Create an internal function that logs access to a document by writing to the `accessLogs` table.
Create a mutation named `getDocument` in `convex/index.ts` that:
- Takes arguments:  `{ documentId: Id<"documents"> }`
- Throws an error with the message "Document not found" if there is no document with that ID
- Logs access asynchronously by writing a record to `accessLogs` with `{ documentId, action: "read" }`
- Returns the full document including its system fields

Files to create:
- `convex/schema.ts` with the schema above
- `convex/index.ts` with both functions
- `package.json` with necessary dependencies"""

GAPS["002-queries/019-no_scheduler"] = """\
queries, no_scheduler:

- It uses the scheduler from an action"""

TASKS["002-queries/021-intersection"] = """\
Create a backend that queries active users and their published posts.

Required files:

`convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    name: v.string(),
    status: v.union(v.literal("active"), v.literal("inactive")),
  }).index("by_status", ["status"]),

  posts: defineTable({
    authorId: v.id("users"),
    title: v.string(),
    published: v.boolean(),
  }).index("by_published", ["authorId", "published"]),
});
```

Create a query function `getActiveUsersWithPosts` in `convex/index.ts` that:
- Takes no arguments (empty object `{}`)
- Returns an array of users with their published posts included

Files to create:
- `convex/schema.ts` with the schema above
- `convex/index.ts` with the query function
- `package.json` with necessary dependencies

Expected result structure should be:
```ts
{
  userId: Id<"users">,
  name: string,
  posts: {
    title: string,
  }[]
}[]
```"""

GAPS["002-queries/021-intersection"] = """\
queries, intersection:

- Oh boy it needs help"""

TASKS["002-queries/022-unbounded_query_no_collect"] = """\
Create a backend for listing audit log entries for a workspace.

Write this schema to `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  auditLogs: defineTable({
    workspaceId: v.string(),
    actor: v.string(),
    action: v.string(),
  }).index("by_workspaceId", ["workspaceId"]),
});
```

Create a query function `listAuditLogs` in `convex/index.ts` that:
- Takes arguments `{ workspaceId: string }`
- Returns audit log entries for that workspace
- Returns an empty array when the workspace has no audit log entries"""

TASKS["003-mutations/003-patch_nested"] = """\
Create a backend that tests patching a deep nested object in a document.

Start by creating this schema in `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  documents: defineTable({
    metadata: v.object({
      title: v.string(),
      author: v.object({
        name: v.string(),
        contact: v.object({
          email: v.string(),
          phone: v.optional(v.string()),
        }),
      }),
      tags: v.array(v.string()),
    }),
    content: v.string(),
  }),
});
```

Implement the following functions in `convex/index.ts`:

1. Create a mutation `createDocument` that:
   - Takes a complete document object matching the schema as `{ metadata: ..., content: string }`
   - Inserts it into the database
   - Returns the new document's ID

2. Create a mutation `patchDocumentMetadata` that:
   - Takes an argument object `{ documentId: Id<"documents">, metadata: { title: string, author: { name: string, contact: { email: string, phone?: string | undefined } }, tags: string[] } }`
   - Replaces the entire metadata object while preserving content
   - Throws an error if document doesn't exist
   - Returns null (use `returns: v.null()` and `return null`)

3. Create a mutation `patchAuthorInfo` that:
   - Takes an argument object `{ documentId: Id<"documents">, author: { name: string, contact: { email: string, phone?: string | undefined } } }`
   - Updates only the metadata.author portion of the document
   - Throws an error if document doesn't exist
   - Returns null (use `returns: v.null()` and `return null`)

4. Create a query `getDocument` that:
   - Takes an argument object `{ documentId: Id<"documents"> }`
   - Returns the complete document with all nested fields
   - Returns null if document not found

These functions will demonstrate how to:
- Create documents with deeply nested objects
- Replace entire nested objects while preserving siblings
- Update specific nested objects within the document structure
- Retrieve and verify the nested object modifications

The schema and functions should maintain type safety throughout all operations with the nested object structure.

Only generate the `convex/schema.ts`, `convex/index.ts`, and `package.json` files. Do not generate any other files.
"""

GAPS["003-mutations/003-patch_nested"] = """\
mutations, patch_nested:

- It thinks patch takes in a string path, but it takes in an object
- It doesn't know how to patch a nested object (that it needs to spread the existing object)
"""

TASKS["003-mutations/004-cascade_delete"] = """\
Create a backend that enables deletion of users and their associated documents.

Write this schema to `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    name: v.string(),
    email: v.string(),
  }).index("by_email", ["email"]),

  documents: defineTable({
    authorId: v.id("users"),
    title: v.string(),
    content: v.string(),
  }).index("by_author", ["authorId"]),
});
```

Create a mutation `deleteUserAndDocuments` in `convex/index.ts` that takes `{ userId: Id<"users"> }`, deletes that user and all their documents, and returns nothing.

If the user does not exist, throw an error whose message contains "not found".

The implementation should demonstrate:
- Proper use of database indexes
- Parallel operations for better performance
- Proper error handling
- Transaction handling to ensure data consistency
 - Should handle concurrent deletions correctly without leaving orphaned data

Type all arguments and return values appropriately using TypeScript.

Only generate the `deleteUserAndDocuments` function in `convex/index.ts`. Do not generate any other functions.
Generate only the `convex/schema.ts`, `convex/index.ts`, and `package.json` files. Do not generate any other files.
"""

GAPS["003-mutations/004-cascade_delete"] = """\
mutations, cascade_delete:

- (resolved) The promise-function-async lint rule was removed since .map((doc) => ctx.db.delete(doc._id)) is functionally correct and idiomatic."""

TASKS["003-mutations/005-cascade_delete_nested"] = """\
Create a backend that safely deletes a user and all associated data across multiple tables.

Create this schema in `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  users: defineTable({
    name: v.string(),
    email: v.string(),
  }).index("by_email", ["email"]),

  posts: defineTable({
    authorId: v.id("users"),
    title: v.string(),
    content: v.string(),
  }).index("by_author", ["authorId"]),

  comments: defineTable({
    authorId: v.id("users"),
    postId: v.id("posts"),
    content: v.string(),
  })
    .index("by_author", ["authorId"])
    .index("by_post", ["postId"]),

  likes: defineTable({
    userId: v.id("users"),
    postId: v.id("posts"),
  })
    .index("by_user", ["userId"])
    .index("by_post", ["postId"]),
});
```

Implement the following functions in `convex/index.ts`:

2. Create a mutation `deleteUser` that takes `{ userId: Id<"users"> }` and deletes all dependent records.
   Both records that directly depend on the user, records that depend on those records, etc.
   Return nothing.

The implementation should demonstrate:
- Efficient parallel operations where possible
- Proper error handling
- Transaction safety

Create only the `convex/schema.ts`, `convex/index.ts`, and `package.json` files. Do not generate any other files.

Do not export any functions from `convex/index.ts` other than `deleteUser`.
"""

TASKS["003-mutations/006-no_storage"] = """\
Create a backend that stores files and tracks their metadata in the database.

Create this schema in `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  files: defineTable({
    storageId: v.id("_storage"),
    fileName: v.string(),
    size: v.number(),
  }),
});
```

Implement function `uploadFile` and `storeFileMetadata` in `convex/index.ts` that together:
- `uploadFile` takes `{ contents: string, fileName: string }`
- `storeFileMetadata` takes `{ storageId: Id<"_storage">, fileName: string, size: number }`
- Stores the file in Convex Storage
- Creates a database record with the file metadata including:
  - The storage ID from the upload
  - Original filename
  - File size in bytes
- Returns an object containing:
  - fileId: The database ID of the file record
  - storageId: The Convex Storage ID
  - url: The generated URL for accessing the file
- Define the typescript type for their `handler` function return value

Create only the `convex/schema.ts`, `convex/index.ts`, and `package.json` files. Do not generate any other files.

Do not export any functions from `convex/index.ts` other than `uploadFile` and `storeFileMetadata`."""

GAPS["003-mutations/006-no_storage"] = """\
mutations, no_storage:

- Trying to store a file from a mutation"""

TASKS["003-mutations/007-batch_delete_self_schedule"] = """\
Build a backend for bulk-deleting activity log entries for a workspace.

Write this schema to `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  activityLog: defineTable({
    workspaceId: v.string(),
    action: v.string(),
  }).index("by_workspaceId", ["workspaceId"]),
});
```

Create a mutation `deleteActivityLogs` in `convex/index.ts` that:
- Takes arguments `{ workspaceId: string }`
- Deletes all activity log entries for that workspace
- The activityLog table can contain millions of rows per workspace, so the mutation must handle arbitrarily large tables without hitting Convex transaction limits
"""

TASKS["004-actions/001-run_mutation"] = """\
Create a backend that fetches external data and saves it to the database.

Create this schema in `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  fetchResults: defineTable({
    url: v.string(),
    data: v.any(),
  }),
});
```

Implement these functions in `convex/index.ts`:

1. Create a mutation `saveFetchResult` that:
   - Takes arguments:  `{ url: string, data: any }`
   - Inserts a new record into the fetchResults table
   - Returns the ID of the new record

2. Create an action `fetchAndSave` that:
   - Takes arguments:  `{ url: string }`
   - Makes a fetch request to the provided URL
   - Parses the response as JSON
   - It's not important to handle errors here
   - Calls the saveFetchResult mutation with the url and parsed data
   - Returns the ID of the new record

The implementation should demonstrate:
- Proper use of Convex actions for external API calls
- Proper mutation usage from within an action

Create only the `convex/schema.ts`, `convex/index.ts`, and `package.json` files. Do not generate any other files.
Add return type annotations to the handler functions of `saveFetchResult` and `fetchAndSave` with `Promise<Id<"fetchResults">>`.

Do not export any functions from `convex/index.ts` other than `saveFetchResult` and `fetchAndSave`."""

GAPS["004-actions/001-run_mutation"] = """\
actions, run_mutation:

- It's struggling to type the return value of `saveFetchResult` and `fetchAndSave`, necessary to break the type cycle.
  - It's typing it as `Promise>` for some reason.
- (resolved) The `any` eslint directives requirement was removed -- no-unsafe-assignment and no-unsafe-return are now disabled since they test eslint fluency, not Convex knowledge."""

TASKS["004-actions/002-run_query_mutation"] = """\
Create a backend that conditionally fetches and caches external data.

Create this schema in `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  fetchRequests: defineTable({
    url: v.string(),
    data: v.any(),
  }).index("by_url", ["url"]),
});
```

Implement these functions in `convex/index.ts`:

1. Create a **public query** `getFetchResult` that:
   - Takes arguments:  `{ url: string }`
   - Uses the "by_url" index to look up any existing fetch result
   - Returns the ID of the record if found, null if not found

2. Create a **public mutation** `saveFetchResult` that:
   - Takes arguments:  `{ url: string, data: any }`
   - Inserts a new record, or updates an existing record if the URL already exists (maintaining only one record per URL)
   - Has the handler return type of `Promise<Id<"fetchRequests">>`
   - Returns the ID of the new record

3. Create an action `fetchIfNeeded` that uses the query and mutation to:
   - Takes arguments:  `{ url: string }`
   - Makes a fetch request to the URL, if the result is not already cached in fetchResults.
   - If it isn't cached, write the JSON response to the fetchResults table
   - Has the handler return type of `Promise<Id<"fetchRequests">>`
   - Returns the newly created record ID

The implementation should demonstrate:
- Proper use of indexes for efficient lookups
- Coordination between query, mutation and action
- Proper type handling for external data

Create only the `convex/schema.ts`, `convex/index.ts`, and `package.json` files. Do not generate any other files.

Do not export any functions from `convex/index.ts` other than `getFetchResult`, `saveFetchResult`, and `fetchIfNeeded`."""

GAPS["004-actions/002-run_query_mutation"] = """\
actions, run_query_mutation:

- Struggling with the return type on handler to break type cycles.
- Struggling with api.saveFetchResult instead of api.index.saveFetchResult.
- Not using an internal query/mutation, but not really asked to."""

TASKS["004-actions/003-mutation_schedule_action"] = """\
Create a backend that writes data and triggers an async HTTP request.

Create this schema in `convex/schema.ts`:
```ts
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  requests: defineTable({
    url: v.string(),
    status: v.union(v.literal("pending"), v.literal("completed")),
    requestedAt: v.number(),
    completedAt: v.optional(v.number()),
  }).index("by_url", ["url"]),
});
```

Implement these functions in `convex/index.ts`:

1. Create a mutation `initiateRequest` that:
   - Takes arguments:  `{ url: string }`
   - Checks if the URL already exists in the requests table
   - If it does, return the existing record ID
   - If it doesn't, inserts a pending record into requests table
   - Starts an asynchronous action to fetch the URL
   - Returns the ID of the new record

2. Create an internal action `performHttpbinFetch` that:
   - Takes arguments:  `{ url: string, requestId: Id<"requests"> }`
   - Makes a POST request to the URL
   - Updates the requests record by calling an internal mutation `updateRequest` via `ctx.runMutation(internal.index.updateRequest, ...)`
     - Define `updateRequest` as an `internalMutation` that takes arguments: `{ requestId: Id<"requests">, status: "completed", completedAt: number }`
     - It should set the status to "completed" and set `completedAt` to the provided timestamp
   - Returns nothing

Behavioral expectations:
- Multiple concurrent `initiateRequest` calls for the same URL must return the same existing request ID and not create duplicates.
- Requests that fail the POST should not transition to completed; the request should remain `pending` and `completedAt` should be unset.

The implementation should demonstrate:
- Proper scheduling of async work using actions
- Proper state management in the database
- Using mutations and actions together

Create only the `convex/schema.ts`, `convex/index.ts`, and `package.json` files. Do not generate any other files.

The only public function should be `initiateRequest`. Both `updateRequest` and `performHttpbinFetch` should be internal (using `internalMutation` and `internalAction` respectively). Do not export any other functions from `convex/index.ts`."""

GAPS["004-actions/003-mutation_schedule_action"] = """\
actions, mutation_schedule_action:

- It wasn't passing the updated status & time to the mutation. I updated the task, we'll see if that does it.
- Looking good, I wonder if we coudl get away with less explicitly telling it to schedule the action / use a mutation.
- I'm glad I didn't have to tell it that the helper to update was a mutation.
- I'm currently telling it to use internal functions for the action & mutation."""

TASKS["004-actions/004-storage"] = """\
Create a backend that interacts with Convex file storage to write and read text files.

Implement these functions in `convex/index.ts`:

1. Create an action `writeTextToStorage` that:
   - Takes arguments:  `{ text: string }`
   - Uploads the data to Convex storage
   - Returns an object containing:
     - storageId: The storage ID
     - url: The public URL of the stored file

2. Create an action `readTextFromStorage` that:
   - Takes arguments:  `{ storageId: Id<"_storage"> }`
   - Retrieves the data from storage and returns it as a string
   - If the storageId is invalid or the file doesn't exist, throw an error

The implementation should demonstrate:
- Proper use of Convex storage APIs
- Correct text encoding/decoding

Create only the `convex/index.ts` and `package.json` files. Do not generate any other files.
No schema is required since this demo only uses file storage.

Do not export any functions from `convex/index.ts` other than `writeTextToStorage` and `readTextFromStorage`."""

GAPS["004-actions/004-storage"] = """\
actions, storage:

- Trying to use TextEncoder and TextDecoder instead of Blob."""

TASKS["004-actions/005-storage_http_action"] = """\
Create a backend that receives HTTP requests and stores the request body content in Convex storage.

Create an HTTP action `/store` in `convex/http.ts` that:
- Takes the raw request body
- Stores the request body in Convex storage
- Returns a JSON response containing:
  - storageId: The storage ID string
  - url: The public URL of the stored file
- Only accept POST requests; other methods should return 404

No schema is required since this demo only uses file storage.

Create only the `convex/http.ts` and `package.json` files. Do not generate any other files.

The HTTP action should be accessible at the path `/store`.
"""

GAPS["004-actions/005-storage_http_action"] = """\
actions, storage_http_action:

- Isn't installing @types/node to access `process.env`
"""

TASKS["004-actions/006-node"] = """\
Create a backend that demonstrates using the "node" runtime within a Convex action.

Implement this function in `convex/index.ts`:

1. Create an action `processWithNode` that:
   - Takes arguments:  `{ data: string }`
   - Uses Node.js 'crypto' module to generate a hash of the input
   - Uses Node.js 'path' module to manipulate file paths
   - Returns an object containing:
     - hash: The SHA-256 hash of the input string
     - normalizedPath: A normalized version of "/some/test/path"

Behavioral expectations:
- The hash must be a lowercase hexadecimal SHA-256 string of length 64.
- `normalizedPath` must equal "/some/test/path" consistently for all inputs.

This function should assume it needs libraries not available with the default Convex runtime.
This will require the @types/node npm dev dependency.
Create only the `convex/index.ts` and `package.json` files. Do not generate any other files.
No schema is required for this demo since it doesn't use the database.

Do not export any functions from `convex/index.ts` other than `processWithNode`."""

GAPS["004-actions/006-node"] = 'actions, node:\n\n- It thinks it needs to use NodeRuntime imported from Convex.\n- Doesn\'t know about "use node"'

TASKS["004-actions/007-http_action_routing"] = """\
Create a backend that implements three HTTP endpoints with different methods.

Implement these HTTP handlers in `convex/http.ts`:

1. Create a GET endpoint `/getFoo` that:
2. Create a POST endpoint `/postBar` that:
3. Create a PUT endpoint `/putBaz` that:
4. Create a GET handler for all paths under `/api/*` that:

They should all return a JSON response: `{ ok: true }` and only accept the specified methods (reject other methods with 404). Non-existent paths should return 404.

Create only the `convex/http.ts` and `package.json` files. Do not generate any other files.
No schema is required since this demo doesn't use the database.
"""

GAPS["004-actions/007-http_action_routing"] = """\
actions, http_action_routing:

- It doesn't do prefix path matching correctly. It wants `path: "/api/*"` instead of `prefixPath: "/api/"`
- covered by guideline: use `pathPrefix: "/api/"` for prefix matching; do not use glob patterns like `path: "/api/*"`.
"""

TASKS["005-idioms/000-internal_fns"] = """\
Create a backend that demonstrates different types of Convex functions with varying visibility and access patterns.

Implement these functions in `convex/index.ts`:

1. Create a query `getPublicStats` that:
   - Takes no arguments
   - Returns a static object containing { totalUsers: 100, version: "1.0.0" }
   - Should be accessible to client applications

2. Create a mutation `logClientEvent` that:
   - Takes arguments:  `{ eventName: string, data: any }`
   - Logs the event to the console
   - Returns the current timestamp
   - Should be accessible to client applications

3. Create an action `dailyCleanup` that:
   - Takes no arguments
   - Is meant to be run from the dashboard
   - Logs "Running daily cleanup" to console
   - Does nothing else
   - Returns nothing (use `return null`)
   - Should NOT be accessible to clients

4. Create a mutation `resetCounter` that:
   - Takes no arguments
   - Is meant to be called from CLI or scheduled asynchronously from another function
   - Does nothing but logs "Resetting counter" to console
   - Returns nothing (use `return null`)
   - Should NOT be accessible to clients

Function visibility and access expectations:
- `getPublicStats` and `logClientEvent` must be public and callable by regular clients.
- `dailyCleanup` (action) and `resetCounter` (mutation) must be internal-only and not callable by regular clients; they should be callable by admin clients.


Create only the `convex/index.ts` and `package.json` files. Do not generate any other files.
No schema is required since this demo doesn't use the database."""

GAPS["005-idioms/000-internal_fns"] = """\
idioms, internal_fns:

- None for now 👏"""

TASKS["005-idioms/002-batch_queries"] = """\
Create a backend that demonstrates code reuse patterns in Convex by implementing functions to read users and posts.

Required files:
- convex/schema.ts
- convex/users.ts
- convex/posts.ts

Schema should define:
```ts
users: {
  name: string,
  email: string
}
posts: {
  userId: Id<"users">,
  content: string
}
```
With only an index on posts `by_user` and users `by_email`.

Implement these functions:

1. In convex/users.ts:
   - Create an internal query `getUserByEmail` that:
     - Takes arguments:  `{ email: string }`
     - Returns the user document or null

2. In convex/posts.ts:
   - Create an internal query `getPostsByUserId` that:
     - Takes arguments:  `{ userId: Id<"users"> }`
     - Returns array of post documents (empty array if none)
   - Create a query `getUserAndPosts` that:
     - Takes arguments:  `{ email: string }`
     - Fetches the user and their posts
     - Returns an object with the user and their posts
     - If the user does not exist for the given email, return `{ user: null, posts: [] }`

Don't specify returns validators for query/mutations.
Create any helper functions you need to avoid duplicating code.
DO NOT duplicate the code between `getUserByEmail`, `getPostsByUserId`, and `getUserAndPosts`.
The data fetched should be transactionally consistent.
Avoid creating subtransactions when possible, for efficiency."""

GAPS["005-idioms/002-batch_queries"] = """\
idioms, batch_queries:

- It can't handle type declarations, so it's barfing on Promise<...> syntax
- It's trying to use `.impl` instead of a helper function."""

TASKS["006-clients/000-use_query"] = """\
Create a backend that implements message listing functionality with a React frontend component.

Required files:
- convex/schema.ts
```ts
messages: {
  author: string,
  body: string,
}
```
No indexes are required.

- convex/messages.ts
```ts
export const getAllMessages = query({
  args: {},
  handler: async (ctx) => {
    return ctx.db.query("messages").order("desc").collect();
  }
});
```

- src/App.tsx
  - Create a React component that:
    - Uses a hook to fetch messages from `getAllMessages`
    - Handles loading state by showing "Loading..."
    - Handles empty state by showing "No messages yet"
    - Renders messages in a `<ul>` list with "author: body" in `<li>` elements.

- package.json
  Include convex and React dependencies, including typescript types.

- tsconfig.json
  - Only include `src` in the `include` field.

Don't add any message creation functionality - focus only on listing existing messages.
"""

GAPS["006-clients/000-use_query"] = """\
clients, use_query:

- Claude still struggles to generate .tsx or anything with <tags>
"""

TASKS["006-clients/001-use_mutation"] = """\
Create a backend that implements message sending functionality with a React frontend component.

Required files:
- convex/schema.ts
```ts
messages: {
  author: string,
  body: string,
}
```
No indexes are required.

- convex/messages.ts
```ts
export const sendMessage = mutation({
  args: {
    author: v.string(),
    body: v.string()
  },
  handler: async (ctx, args) => {
    return await ctx.db.insert("messages", {
      author: args.author,
      body: args.body
    });
  }
});
```

- src/App.tsx
  - Create a React component that:
    - Uses a form with two text inputs:
      - Author name input
      - Message body input
    - Sends a message using the sendMessage mutation when the form is submitted
    - Assume it's inside of a ConvexProvider already
    - Shows "Sending..." while the mutation is in progress

- package.json
  Include convex and React dependencies, including typescript types.

- tsconfig.json
  - Only include `src` in the `include` field.

Focus only on implementing the message sending functionality.
Don't implement any message listing or retrieval features.
"""

GAPS["006-clients/001-use_mutation"] = """\
clients, use_mutation:

- Claude struggling with tags
- OpenAI is just failing a maybe-dumb lint: @typescript-eslint/no-misused-promises
- OpenAI is returning the ID of the message - should specify that in TASK.txt
"""

TASKS["006-clients/002-use_paginated_query"] = """\
Create a backend that supports paginated retrieval of items and a React frontend component that paginates through the data in `App.tsx`.

Create these files:

1. `convex/schema.ts`
```ts
export default {
  items: {
    name: string,
    description: string,
  },
};
```
No indexes are required.

2. `convex/items.ts`
```ts
export const paginateItems = query({
  args: {
    paginationOpts: paginationOptsValidator,
  },
  handler: async (ctx, args) => {
    return ctx.db.query("items").order("desc").paginate(args.paginationOpts);
  },
});
```
- DO NOT add a `returns` validator.

Then for `src/App.tsx`, create a React component that lists the paginated items and has a load more button.
It should use the `usePaginatedQuery` hook.

Only create these files:

1. `src/App.tsx`
2. `package.json`
3. `tsconfig.json` that only includes the `src` directory
4. `convex/schema.ts`
5. `convex/items.ts`
"""

GAPS["006-clients/002-use_paginated_query"] = """\
clients, use_paginated_query:

- Neither knows what to do with the `usePaginatedQuery` hook.
- I added another line to task.txt asking to explicitly use it.
- Claude still struggling with <tags> output (App.tsx)
"""

